using System.Text.RegularExpressions;

namespace DicomArchive.Service.Tests.Parity;

/// <summary>The top-level element lines of a dcmdump-style listing (ours or DCMTK's): tag, VR and printed value.</summary>
internal static partial class DumpListing
{
    public sealed record Line(string Tag, string VR, string Value);

    // "(0010,0010) PN [Yamada^Tarou]                          #  12, 1 PatientName". The value is greedy so
    // that the last "# length, vm name" tail is the one matched.
    [GeneratedRegex(@"^\((?<tag>[0-9a-fA-F]{4},[0-9a-fA-F]{4})\) (?<vr>\S\S) (?<value>.*) # *(?<length>\S+), *(?<vm>\d+) (?<name>.*)$")]
    private static partial Regex LinePattern();

    /// <summary>Lines at column 0 (not inside items), without item and delimiter lines (group FFFE).</summary>
    public static List<Line> TopLevel(string listing)
    {
        var lines = new List<Line>();
        foreach (var raw in listing.Split('\n'))
        {
            var text = raw.TrimEnd('\r');
            if (!text.StartsWith('('))
            {
                continue;
            }

            var match = LinePattern().Match(text);
            if (!match.Success)
            {
                lines.Add(new Line("?", "?", text));
                continue;
            }

            var tag = match.Groups["tag"].Value.ToUpperInvariant();
            if (tag.StartsWith("FFFE", StringComparison.Ordinal))
            {
                continue;
            }

            // (0008,0005): dcmdump +U8 converts the text to UTF-8 and then adds or rewrites this element to say
            // "ISO_IR 192", so it is not comparable; it is dropped from both listings.
            if (tag == "0008,0005")
            {
                continue;
            }

            lines.Add(new Line(tag, match.Groups["vr"].Value, match.Groups["value"].Value.TrimEnd()));
        }

        return lines;
    }

    /// <summary>The text inside [brackets], or empty for "(no value available)".</summary>
    public static string StringValue(string printed) =>
        printed.Length >= 2 && printed[0] == '[' && printed[^1] == ']' ? printed[1..^1] : string.Empty;
}
