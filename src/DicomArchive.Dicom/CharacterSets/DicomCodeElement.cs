using System.Text;

namespace DicomArchive.Dicom;

/// <summary>The kinds of code element a DICOM defined term can designate (PS3.3 Table C.12-2 to C.12-5).</summary>
internal enum DicomCodeElementKind
{
    /// <summary>ISO 646 (ISO-IR 6) in G0.</summary>
    Ascii,

    /// <summary>JIS X 0201 Romaji (ISO-IR 14) in G0; decoded as ASCII (only 05/12 and 07/14 differ: YEN SIGN, OVERLINE).</summary>
    JisX0201Romaji,

    /// <summary>JIS X 0208 (ISO-IR 87) in G0: two GL bytes per character.</summary>
    JisX0208,

    /// <summary>JIS X 0212 (ISO-IR 159) in G0: two GL bytes per character.</summary>
    JisX0212,

    /// <summary>The right-hand part of an ISO 8859 part or TIS-620 in G1.</summary>
    SingleByte,

    /// <summary>JIS X 0201 Katakana (ISO-IR 13) in G1.</summary>
    JisX0201Katakana,

    /// <summary>KS X 1001 (ISO-IR 149) in G1: two GR bytes per character.</summary>
    KsX1001,

    /// <summary>GB 2312 (ISO-IR 58) in G1: two GR bytes per character.</summary>
    Gb2312,
}

/// <summary>
/// One graphic character set that ISO 2022 designates into G0 or G1 with an escape sequence (PS3.5 6.1.2.5,
/// PS3.3 C.12.1.1.2). <see cref="Encoding"/> is the 8-bit .NET encoding whose upper or doubled half is this set:
/// an ISO 8859 part for a single-byte G1 set, EUC-JP for JIS X 0208, EUC-KR for KS X 1001, GBK for GB 2312.
/// </summary>
internal sealed class DicomCodeElement
{
    public DicomCodeElement(string name, DicomCodeElementKind kind, byte[] escape, Encoding? encoding, Encoding? replacingEncoding = null)
    {
        Name = name;
        Kind = kind;
        Escape = escape;
        Encoding = encoding;
        ReplacingEncoding = replacingEncoding;
    }

    /// <summary>The registration, e.g. "ISO-IR 87", for diagnostics.</summary>
    public string Name { get; }

    public DicomCodeElementKind Kind { get; }

    /// <summary>The escape sequence that designates this set (ESC included).</summary>
    public byte[] Escape { get; }

    public Encoding? Encoding { get; }

    /// <summary>For a single-byte set, <see cref="Encoding"/> but writing '?' for characters it lacks.</summary>
    public Encoding? ReplacingEncoding { get; }

    /// <summary>True for the sets designated into G1 (their bytes have the high bit set).</summary>
    public bool IsG1 => Kind is DicomCodeElementKind.SingleByte or DicomCodeElementKind.JisX0201Katakana
        or DicomCodeElementKind.KsX1001 or DicomCodeElementKind.Gb2312;

    /// <summary>True for the 94x94 sets, whose characters take two bytes.</summary>
    public bool IsMultiByte => Kind is DicomCodeElementKind.JisX0208 or DicomCodeElementKind.JisX0212
        or DicomCodeElementKind.KsX1001 or DicomCodeElementKind.Gb2312;

    /// <summary>
    /// Encodes one character (one or two UTF-16 units) in this set, as the bytes that follow its designation;
    /// returns the byte count, or 0 when the set has no such character.
    /// </summary>
    public int TryEncode(ReadOnlySpan<char> character, Span<byte> destination)
    {
        switch (Kind)
        {
            case DicomCodeElementKind.Ascii:
            case DicomCodeElementKind.JisX0201Romaji:
                if (character.Length == 1 && character[0] < 0x80)
                {
                    destination[0] = (byte)character[0];
                    return 1;
                }

                return 0;
            case DicomCodeElementKind.JisX0201Katakana:
                // JIS X 0201 Katakana 10/01..13/15 are the half-width forms U+FF61..U+FF9F.
                if (character.Length == 1 && character[0] is >= '\uFF61' and <= '\uFF9F')
                {
                    destination[0] = (byte)(character[0] - 0xFF61 + 0xA1);
                    return 1;
                }

                return 0;
            case DicomCodeElementKind.JisX0212:
                // No .NET encoding has JIS X 0212; the generated table does.
                return character.Length == 1 ? JisX0212Table.TryEncode(character[0], destination) : 0;
            default:
                return TryEncodeWithEncoding(character, destination);
        }
    }

    private int TryEncodeWithEncoding(ReadOnlySpan<char> character, Span<byte> destination)
    {
        Span<byte> bytes = stackalloc byte[8];
        var count = Encoding!.GetBytes(character, bytes);
        switch (Kind)
        {
            case DicomCodeElementKind.SingleByte:
                // Only the G1 half belongs to this element; the G0 half is ASCII.
                if (count != 1 || bytes[0] < 0xA0)
                {
                    return 0;
                }

                destination[0] = bytes[0];
                return 1;
            case DicomCodeElementKind.JisX0208:
                // EUC-JP puts JIS X 0208 row/cell at A1..FE A1..FE; in G0 the same codes have the high bit clear.
                if (count != 2 || !IsGraphicRight(bytes[0]) || !IsGraphicRight(bytes[1]))
                {
                    return 0;
                }

                destination[0] = (byte)(bytes[0] & 0x7F);
                destination[1] = (byte)(bytes[1] & 0x7F);
                return 2;
            case DicomCodeElementKind.KsX1001:
            case DicomCodeElementKind.Gb2312:
                // EUC-KR is exactly KS X 1001 in GR; GBK extends GB 2312, whose codes are those in A1..FE A1..FE.
                if (count != 2 || !IsGraphicRight(bytes[0]) || !IsGraphicRight(bytes[1]))
                {
                    return 0;
                }

                destination[0] = bytes[0];
                destination[1] = bytes[1];
                return 2;
            default:
                return 0;
        }
    }

    private static bool IsGraphicRight(byte b) => b is >= 0xA1 and <= 0xFE;
}
