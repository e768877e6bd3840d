using System.Buffers;
using System.Text;

namespace DicomArchive.Dicom;

/// <summary>
/// Decodes a value in an ISO 2022 structured character set (PS3.5 6.1.2.5): escape sequences designate sets into
/// G0 (bytes 02/01..07/14) and G1 (bytes 10/01..15/14); at every delimiter the sets of value 1 of (0008,0005) are
/// active again (PS3.5 6.1.2.5.3). Never throws: unknown escapes and invalid bytes become U+FFFD.
/// </summary>
internal static class Iso2022Decoder
{
    private const byte Esc = 0x1B;

    /// <summary>Decodes with escape sequences honoured.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, DicomCodeElement initialG0, DicomCodeElement? initialG1, DicomTextDelimiters delimiters)
    {
        var buffer = new PooledCharBuffer(bytes.Length + 8);
        try
        {
            var g0 = initialG0;
            var g1 = initialG1;
            var runStart = 0;
            var i = 0;
            while (i < bytes.Length)
            {
                var b = bytes[i];
                if (b == Esc)
                {
                    DecodeRun(bytes[runStart..i], g0, g1, ref buffer);
                    var length = DicomCodeElements.EscapeSequenceLength(bytes[i..]);
                    if (length > 0 && DicomCodeElements.TryGetByEscape(bytes.Slice(i, length), out var element))
                    {
                        if (element.IsG1)
                        {
                            g1 = element;
                        }
                        else
                        {
                            g0 = element;
                        }
                    }
                    else
                    {
                        buffer.Append('\uFFFD');
                    }

                    i += Math.Max(length, 1);
                    runStart = i;
                    continue;
                }

                // A delimiter byte inside a two-byte G0 character is not a delimiter: the writer must have
                // returned G0 to a single-byte set first (PS3.5 6.1.2.5.3).
                if ((g0 != initialG0 || g1 != initialG1) && delimiters.IsDelimiter(b) && (!g0.IsMultiByte || b < 0x20))
                {
                    DecodeRun(bytes[runStart..(i + 1)], g0, g1, ref buffer);
                    g0 = initialG0;
                    g1 = initialG1;
                    runStart = i + 1;
                }

                i++;
            }

            DecodeRun(bytes[runStart..], g0, g1, ref buffer);
            return buffer.ToString();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>Decodes bytes in one state (no escape sequences); when G0 is single-byte this is one encoding call.</summary>
    public static string DecodeWithoutEscapes(ReadOnlySpan<byte> bytes, DicomCodeElement g0, DicomCodeElement? g1)
    {
        if (!g0.IsMultiByte && g1 is null)
        {
            return DicomEncodings.Latin1.GetString(bytes);
        }

        if (!g0.IsMultiByte && g1 is { Encoding: { } encoding })
        {
            return encoding.GetString(bytes);
        }

        var buffer = new PooledCharBuffer(bytes.Length + 8);
        try
        {
            DecodeRun(bytes, g0, g1, ref buffer);
            return buffer.ToString();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private static void DecodeRun(ReadOnlySpan<byte> run, DicomCodeElement g0, DicomCodeElement? g1, ref PooledCharBuffer buffer)
    {
        if (run.IsEmpty)
        {
            return;
        }

        if (!g0.IsMultiByte)
        {
            // ASCII and JIS X 0201 Romaji in GL, G1 in GR: the G1 set's 8-bit encoding reads both halves at once.
            DecodeEightBit(run, g1, ref buffer);
            return;
        }

        var i = 0;
        while (i < run.Length)
        {
            var start = i;
            if (run[i] >= 0x80)
            {
                while (i < run.Length && run[i] >= 0x80)
                {
                    i++;
                }

                DecodeEightBit(run[start..i], g1, ref buffer);
            }
            else if (run[i] is <= 0x20 or 0x7F)
            {
                // Space and control characters stay single bytes whatever G0 holds (ISO 2022).
                buffer.Append((char)run[i]);
                i++;
            }
            else
            {
                while (i < run.Length && run[i] is > 0x20 and < 0x7F)
                {
                    i++;
                }

                DecodeTwoByteG0(run[start..i], g0, ref buffer);
            }
        }
    }

    private static void DecodeEightBit(ReadOnlySpan<byte> run, DicomCodeElement? g1, ref PooledCharBuffer buffer)
    {
        if (g1 is null)
        {
            // No G1 set designated: bytes with the high bit set are outside the repertoire; Latin-1 keeps
            // them visible and round-trippable instead of dropping them.
            Write(DicomEncodings.Latin1, run, ref buffer);
            return;
        }

        if (g1.Kind == DicomCodeElementKind.JisX0201Katakana)
        {
            var span = buffer.GetSpan(run.Length);
            for (var i = 0; i < run.Length; i++)
            {
                var b = run[i];
                span[i] = b switch
                {
                    < 0x80 => (char)b,
                    >= 0xA1 and <= 0xDF => (char)(0xFF61 + (b - 0xA1)),
                    _ => '\uFFFD',
                };
            }

            buffer.Advance(run.Length);
            return;
        }

        Write(g1.Encoding!, run, ref buffer);
    }

    private static void DecodeTwoByteG0(ReadOnlySpan<byte> run, DicomCodeElement g0, ref PooledCharBuffer buffer)
    {
        if (g0.Kind == DicomCodeElementKind.JisX0212)
        {
            // JIS X 0212 has no .NET encoding (EUC-JP code page 20932 lacks the 0x8F plane): the generated table
            // maps each byte pair; an unmapped pair or a lone trailing byte is U+FFFD.
            var count = (run.Length + 1) / 2;
            var span = buffer.GetSpan(count);
            for (var i = 0; i < count; i++)
            {
                var at = 2 * i;
                span[i] = at + 1 < run.Length && JisX0212Table.TryGetCharacter(run[at], run[at + 1], out var character)
                    ? character
                    : '\uFFFD';
            }

            buffer.Advance(count);
            return;
        }

        // JIS X 0208 in GL is EUC-JP with the high bits cleared.
        var rented = ArrayPool<byte>.Shared.Rent(run.Length);
        try
        {
            for (var i = 0; i < run.Length; i++)
            {
                rented[i] = (byte)(run[i] | 0x80);
            }

            Write(g0.Encoding!, rented.AsSpan(0, run.Length), ref buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Write(Encoding encoding, ReadOnlySpan<byte> bytes, ref PooledCharBuffer buffer)
    {
        var written = encoding.GetChars(bytes, buffer.GetSpan(encoding.GetMaxCharCount(bytes.Length)));
        buffer.Advance(written);
    }
}
