using System.Diagnostics.CodeAnalysis;

namespace DicomArchive.Dicom;

/// <summary>
/// The data dictionary of PS3.6 (generated from the standard's registry, see tools/generate-dictionary.cs),
/// with the rules for tags it does not list: group lengths are UL (PS3.5 7.2), private creators are LO
/// (PS3.5 7.8.1), and other private or unknown tags are UN.
/// </summary>
public static partial class DicomDictionary
{
    private static readonly DicomDictionaryEntry GroupLength =
        new(0x00000000, 0x0000FFFF, "GroupLength", "Group Length", DicomVR.UL, DicomVR.None, "1", true);

    private static readonly DicomDictionaryEntry PrivateCreator =
        new(0x00010010, 0x000100F0, "PrivateCreator", "Private Creator", DicomVR.LO, DicomVR.None, "1", false);

    /// <summary>Finds the dictionary entry of a tag, including repeating groups, group lengths and private creators.</summary>
    public static bool TryGetEntry(DicomTag tag, [NotNullWhen(true)] out DicomDictionaryEntry? entry)
    {
        var tables = Tables.Instance;
        if (tables.ByTag.TryGetValue(tag.Value, out entry))
        {
            return true;
        }

        if (tag.IsPrivate)
        {
            entry = tag.IsPrivateCreator ? PrivateCreator : tag.IsGroupLength ? GroupLength : null;
            return entry is not null;
        }

        // Before the repeating elements: (1000,xxx0) and (1010,xxxx) would otherwise claim (1000,0000) and (1010,0000),
        // which are group lengths (PS3.5 7.2).
        if (tag.IsGroupLength)
        {
            entry = GroupLength;
            return true;
        }

        foreach (var repeating in tables.Repeating)
        {
            if ((tag.Value & repeating.Mask) == repeating.Tag.Value)
            {
                entry = repeating;
                return true;
            }
        }

        entry = null;
        return false;
    }

    /// <summary>The VR a tag has in the dictionary (the first of alternatives), or UN when it is not listed (PS3.5 6.2.2).</summary>
    public static DicomVR GetVR(DicomTag tag) =>
        TryGetEntry(tag, out var entry) && entry.VR != DicomVR.None ? entry.VR : DicomVR.UN;

    /// <summary>The keyword of a tag, or an empty string when it is not listed.</summary>
    public static string GetKeyword(DicomTag tag) => TryGetEntry(tag, out var entry) ? entry.Keyword : string.Empty;

    /// <summary>Finds the tag of a keyword (PS3.6 keyword, case-sensitive, e.g. "PatientName").</summary>
    public static bool TryGetTag(string keyword, out DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        if (Tables.Instance.ByKeyword.TryGetValue(keyword, out var entry))
        {
            tag = entry.Tag;
            return true;
        }

        tag = default;
        return false;
    }

    /// <summary>Every entry of the dictionary.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => Tables.Instance.All;

    /// <summary>The lookup tables, built once on first use.</summary>
    private sealed class Tables
    {
        public static readonly Tables Instance = new();

        private Tables()
        {
            All = CreateEntries();
            ByTag = new Dictionary<uint, DicomDictionaryEntry>(All.Length);
            ByKeyword = new Dictionary<string, DicomDictionaryEntry>(All.Length, StringComparer.Ordinal);
            var repeating = new List<DicomDictionaryEntry>();
            foreach (var entry in All)
            {
                if (entry.IsRepeating)
                {
                    repeating.Add(entry);
                }
                else
                {
                    ByTag[entry.Tag.Value] = entry;
                }

                if (entry.Keyword.Length > 0)
                {
                    ByKeyword.TryAdd(entry.Keyword, entry);
                }
            }

            Repeating = [.. repeating];
        }

        public DicomDictionaryEntry[] All { get; }

        public Dictionary<uint, DicomDictionaryEntry> ByTag { get; }

        public Dictionary<string, DicomDictionaryEntry> ByKeyword { get; }

        public DicomDictionaryEntry[] Repeating { get; }
    }
}
