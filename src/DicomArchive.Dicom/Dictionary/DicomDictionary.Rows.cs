using System.Globalization;

namespace DicomArchive.Dicom;

/// <summary>Reads the rows of the generated dictionary (DicomDictionary.Generated.cs).</summary>
public static partial class DicomDictionary
{
    /// <summary>
    /// Parses <paramref name="rows"/>, one entry per line written by tools/generate-dictionary.cs:
    /// tag | mask (empty for FFFFFFFF) | VR | alternate VR | VM | R if retired | keyword | name.
    /// A string read once is far cheaper to start up than thousands of constructor calls in one method.
    /// </summary>
    private static DicomDictionaryEntry[] ParseEntries(string rows, int count)
    {
        var entries = new DicomDictionaryEntry[count];
        var n = 0;
        foreach (var range in rows.AsSpan().Split('\n'))
        {
            // A checkout that turned LF into CRLF puts \r into the raw string literal too.
            var rest = rows.AsSpan(range).TrimEnd('\r');
            if (rest.IsEmpty)
            {
                continue;
            }

            if (n == count)
            {
                throw Corrupt(n);
            }

            var tag = uint.Parse(NextField(ref rest), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            var maskText = NextField(ref rest);
            var mask = maskText.IsEmpty ? 0xFFFFFFFF : uint.Parse(maskText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            var vr = ParseVR(NextField(ref rest), n);
            var alternateVR = ParseVR(NextField(ref rest), n);
            var vm = ValueMultiplicity(NextField(ref rest));
            var retired = NextField(ref rest) is "R";
            var keyword = NextField(ref rest);
            entries[n++] = new DicomDictionaryEntry(
                tag, mask, keyword.IsEmpty ? string.Empty : new string(keyword), rest.IsEmpty ? string.Empty : new string(rest), vr, alternateVR, vm, retired);
        }

        return n == count ? entries : throw Corrupt(n);
    }

    private static ReadOnlySpan<char> NextField(ref ReadOnlySpan<char> rest)
    {
        var bar = rest.IndexOf('|');
        var field = bar < 0 ? rest : rest[..bar];
        rest = bar < 0 ? [] : rest[(bar + 1)..];
        return field;
    }

    private static DicomVR ParseVR(ReadOnlySpan<char> text, int row) => text.Length switch
    {
        0 => DicomVR.None,
        2 => (DicomVR)((text[0] << 8) | text[1]),
        _ => throw Corrupt(row),
    };

    /// <summary>The few value multiplicities the dictionary uses share one string each.</summary>
    private static string ValueMultiplicity(ReadOnlySpan<char> text) => text switch
    {
        "1" => "1",
        "1-n" => "1-n",
        "2" => "2",
        "3" => "3",
        "1-2" => "1-2",
        "4" => "4",
        "2-2n" => "2-2n",
        "6" => "6",
        "" => string.Empty,
        _ => new string(text),
    };

    private static InvalidOperationException Corrupt(int row) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The generated data dictionary is corrupt near entry {row}; run tools/generate-dictionary.cs."));
}
