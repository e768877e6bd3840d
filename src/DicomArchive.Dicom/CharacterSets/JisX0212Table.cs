namespace DicomArchive.Dicom;

/// <summary>
/// JIS X 0212 (ISO-IR 159, "ISO 2022 IR 159", PS3.3 Table C.12-4), the supplementary kanji set that .NET's code pages
/// lack: a 94x94 table generated from a standard mapping (tools/generate-jisx0212.py) and its reverse, built on first
/// encode. Code points are the two GL bytes (02/01..07/14) written after ESC 02/04 02/08 04/04 (PS3.5 6.1.2.5).
/// </summary>
internal static partial class JisX0212Table
{
    private const int First = 0x21;
    private const int Size = 94;

    /// <summary>The character at row/cell (both 0x21..0x7E), or false when the code point is unmapped or out of range.</summary>
    public static bool TryGetCharacter(byte row, byte cell, out char character)
    {
        var r = row - First;
        var c = cell - First;
        if ((uint)r >= Size || (uint)c >= Size)
        {
            character = '\0';
            return false;
        }

        character = (char)Characters[(r * Size) + c];
        return character != '\0';
    }

    /// <summary>Writes the two GL bytes of <paramref name="character"/>; returns 2, or 0 when JIS X 0212 has no such character.</summary>
    public static int TryEncode(char character, Span<byte> destination)
    {
        if (!Reverse.Codes.TryGetValue(character, out var code))
        {
            return 0;
        }

        destination[0] = (byte)(code >> 8);
        destination[1] = (byte)code;
        return 2;
    }

    // A nested class so the reverse table is built only by the first encode (its type initializer runs once, thread-safe).
    private static class Reverse
    {
        public static readonly Dictionary<char, ushort> Codes = Build();

        private static Dictionary<char, ushort> Build()
        {
            var codes = new Dictionary<char, ushort>(MappedCount);
            var characters = Characters;
            for (var i = 0; i < characters.Length; i++)
            {
                if (characters[i] != 0)
                {
                    codes[(char)characters[i]] = (ushort)((((i / Size) + First) << 8) | ((i % Size) + First));
                }
            }

            return codes;
        }
    }
}
