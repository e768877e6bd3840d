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

    /// <summary>
    /// Finds the tag of a keyword (PS3.6 keyword, case-sensitive, e.g. "PatientName"). For a repeating group or
    /// element it is the first tag of the pattern that is this element (OverlayData is (6000,3000)), the same tag
    /// as the <see cref="DicomTag"/> property of that keyword.
    /// </summary>
    public static bool TryGetTag(string keyword, out DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        if (Tables.Instance.ByKeyword.TryGetValue(keyword, out var entry))
        {
            tag = entry.IsRepeating ? FirstTagOf(entry) : entry.Tag;
            return true;
        }

        tag = default;
        return false;
    }

    /// <summary>
    /// Counts up the x digits of a repeating entry from 0 until the tag is not listed as an element of its own nor a
    /// group length: (0028,04x0) starts at (0028,0410) since (0028,0400) is Transform Label, (1010,xxxx) at (1010,0001).
    /// </summary>
    private static DicomTag FirstTagOf(DicomDictionaryEntry entry)
    {
        var free = ~entry.Mask;
        for (uint n = 0; ; n++)
        {
            uint value = entry.Tag.Value, rest = n;
            for (var bit = 0; bit < 32; bit += 4)
            {
                if (((free >> bit) & 0xF) != 0)
                {
                    value |= (rest & 0xF) << bit;
                    rest >>= 4;
                }
            }

            var tag = new DicomTag(value);
            if (rest != 0 || (TryGetEntry(tag, out var found) && ReferenceEquals(found, entry)))
            {
                return rest != 0 ? entry.Tag : tag;
            }
        }
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
