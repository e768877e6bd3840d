namespace DicomArchive.Dicom;

/// <summary>The code elements of PS3.3 Tables C.12-2 to C.12-5 with their ISO 2022 escape sequences.</summary>
internal static class DicomCodeElements
{
    private const byte Esc = 0x1B;

    // G0 sets. PS3.3 Table C.12-3 and C.12-4.
    public static readonly DicomCodeElement Ascii = new("ISO-IR 6", DicomCodeElementKind.Ascii, [Esc, 0x28, 0x42], null);
    public static readonly DicomCodeElement JisX0201Romaji = new("ISO-IR 14", DicomCodeElementKind.JisX0201Romaji, [Esc, 0x28, 0x4A], null);
    public static readonly DicomCodeElement JisX0208 = new("ISO-IR 87", DicomCodeElementKind.JisX0208, [Esc, 0x24, 0x42],
        DicomEncodings.Strict(DicomEncodings.EucJp));
    public static readonly DicomCodeElement JisX0212 = new("ISO-IR 159", DicomCodeElementKind.JisX0212, [Esc, 0x24, 0x28, 0x44], null);

    // G1 sets: ESC 02/13 F designates a 96-character set, ESC 02/09 F a 94-character set, ESC 02/04 02/09 F a 94x94 set.
    public static readonly DicomCodeElement Latin1 = SingleByte("ISO-IR 100", 0x41, DicomEncodings.Iso8859Part1);
    public static readonly DicomCodeElement Latin2 = SingleByte("ISO-IR 101", 0x42, DicomEncodings.Iso8859Part2);
    public static readonly DicomCodeElement Latin3 = SingleByte("ISO-IR 109", 0x43, DicomEncodings.Iso8859Part3);
    public static readonly DicomCodeElement Latin4 = SingleByte("ISO-IR 110", 0x44, DicomEncodings.Iso8859Part4);
    public static readonly DicomCodeElement Cyrillic = SingleByte("ISO-IR 144", 0x4C, DicomEncodings.Iso8859Part5);
    public static readonly DicomCodeElement Arabic = SingleByte("ISO-IR 127", 0x47, DicomEncodings.Iso8859Part6);
    public static readonly DicomCodeElement Greek = SingleByte("ISO-IR 126", 0x46, DicomEncodings.Iso8859Part7);
    public static readonly DicomCodeElement Hebrew = SingleByte("ISO-IR 138", 0x48, DicomEncodings.Iso8859Part8);
    public static readonly DicomCodeElement Latin5 = SingleByte("ISO-IR 148", 0x4D, DicomEncodings.Iso8859Part9);
    public static readonly DicomCodeElement Thai = SingleByte("ISO-IR 166", 0x54, DicomEncodings.Tis620);
    public static readonly DicomCodeElement JisX0201Katakana = new("ISO-IR 13", DicomCodeElementKind.JisX0201Katakana, [Esc, 0x29, 0x49], null);
    public static readonly DicomCodeElement KsX1001 = new("ISO-IR 149", DicomCodeElementKind.KsX1001, [Esc, 0x24, 0x29, 0x43],
        DicomEncodings.Strict(DicomEncodings.EucKr));
    public static readonly DicomCodeElement Gb2312 = new("ISO-IR 58", DicomCodeElementKind.Gb2312, [Esc, 0x24, 0x29, 0x41],
        DicomEncodings.Strict(DicomEncodings.Gbk));

    private static readonly DicomCodeElement[] All =
    [
        Ascii, JisX0201Romaji, JisX0208, JisX0212, Latin1, Latin2, Latin3, Latin4, Cyrillic, Arabic, Greek, Hebrew, Latin5, Thai,
        JisX0201Katakana, KsX1001, Gb2312,
    ];

    /// <summary>
    /// Finds the set an escape sequence designates. Besides the sequences DICOM defines, ESC $ @ (JIS C 6226-1978)
    /// and ESC ( H are read as JIS X 0208 and ISO 646, as writers of old Japanese data emit them.
    /// </summary>
    public static bool TryGetByEscape(ReadOnlySpan<byte> sequence, out DicomCodeElement element)
    {
        foreach (var candidate in All)
        {
            if (sequence.SequenceEqual(candidate.Escape))
            {
                element = candidate;
                return true;
            }
        }

        if (sequence.SequenceEqual((ReadOnlySpan<byte>)[Esc, 0x24, 0x40]))
        {
            element = JisX0208;
            return true;
        }

        if (sequence.SequenceEqual((ReadOnlySpan<byte>)[Esc, 0x28, 0x48]))
        {
            element = Ascii;
            return true;
        }

        element = Ascii;
        return false;
    }

    /// <summary>
    /// The length of the escape sequence at the start of <paramref name="bytes"/> (ISO 2022: ESC, intermediate bytes
    /// 02/00..02/15, one final byte 03/00..07/14), or 0 when it is cut short or malformed.
    /// </summary>
    public static int EscapeSequenceLength(ReadOnlySpan<byte> bytes)
    {
        var i = 1;
        while (i < bytes.Length && bytes[i] is >= 0x20 and <= 0x2F)
        {
            i++;
        }

        return i < bytes.Length && bytes[i] is >= 0x30 and <= 0x7E ? i + 1 : 0;
    }

    private static DicomCodeElement SingleByte(string name, byte final, int codePage) =>
        new(name, DicomCodeElementKind.SingleByte, [Esc, 0x2D, final], DicomEncodings.Strict(codePage), DicomEncodings.Lenient(codePage));
}
