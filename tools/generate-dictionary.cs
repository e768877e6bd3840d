// Generates the DICOM data dictionary, the DicomTag keyword fields and the UID registry of
// src/DicomArchive.Dicom/Dictionary/*.Generated.cs from the standard's registries in tools/registry/
// (PS3.6 Tables 6-1, 7-1, 8-1, 9-1 and A-1, A-2; PS3.7 Tables E.1-1 and E.2-1; see tools/registry/SOURCE.md).
//
// Run from anywhere inside the repository:   dotnet run tools/generate-dictionary.cs
//
// The output depends only on the TSV files: rows are written in file order, numbers in invariant
// culture, LF line endings, UTF-8 without BOM, so running it twice gives byte-identical files.
using System.Globalization;
using System.Text;

var root = RepositoryRoot();
var registry = Path.Combine(root, "tools", "registry");
var output = Path.Combine(root, "src", "DicomArchive.Dicom", "Dictionary");

var elements = ElementRow.ReadAll(Path.Combine(registry, "data-elements.tsv"));
var uids = UidRow.ReadAll(Path.Combine(registry, "uids.tsv"));

Write(Path.Combine(output, "DicomDictionary.Generated.cs"), Emit.Dictionary(elements));
Write(Path.Combine(output, "DicomTag.Generated.cs"), Emit.Tags(elements));
Write(Path.Combine(output, "DicomUid.Generated.cs"), Emit.Uids(uids));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{elements.Count} data elements, {uids.Count} UIDs written to {output}"));
return 0;

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "DicomArchive.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run this from inside the DicomArchive repository (no DicomArchive.sln found above the current directory).");
}

static void Write(string path, string text) => File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

/// <summary>Reads a registry TSV: one header line, tab-separated fields, no quoting (tools/registry/SOURCE.md).</summary>
internal static class Tsv
{
    public static List<string[]> Read(string path, string expectedHeader)
    {
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        if (lines.Length == 0 || lines[0] != expectedHeader)
        {
            throw new InvalidDataException($"{path}: expected the header '{expectedHeader.Replace('\t', ' ')}'.");
        }

        var columns = expectedHeader.Split('\t').Length;
        var rows = new List<string[]>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var fields = lines[i].Split('\t');
            if (fields.Length != columns)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}:{i + 1}: {fields.Length} fields, expected {columns}."));
            }

            rows.Add(fields);
        }

        return rows;
    }

    public static bool YesNo(string value, string what) => value switch
    {
        "Y" => true,
        "N" => false,
        _ => throw new InvalidDataException($"{what}: retired must be Y or N, not '{value}'."),
    };
}

/// <summary>A row of data-elements.tsv, with the tag's value and mask worked out.</summary>
internal sealed record ElementRow(string TagText, string VRText, uint Tag, uint Mask, string Keyword, string Name, string VR, string AlternateVR, string VM, bool IsRetired)
{
    public bool IsRepeating => Mask != 0xFFFFFFFF;

    public static List<ElementRow> ReadAll(string path)
    {
        var rows = new List<ElementRow>();
        var tags = new HashSet<(uint, uint)>();
        foreach (var f in Tsv.Read(path, "tag\tkeyword\tname\tvr\tvm\tretired\ttable\tsource"))
        {
            var (tag, mask) = ParseTag(f[0]);
            var (vr, alternate) = ParseVR(f[3], f[0]);
            if (!tags.Add((tag, mask)))
            {
                throw new InvalidDataException($"{path}: tag {f[0]} is listed twice.");
            }

            rows.Add(new ElementRow(f[0], f[3], tag, mask, CheckIdentifier(f[1], f[0]), f[2], vr, alternate, f[4].Replace("|", " or ", StringComparison.Ordinal), Tsv.YesNo(f[5], f[0])));
        }

        return rows;
    }

    /// <summary>
    /// "GGGG,EEEE" in hex; each lower-case x (a repeating group such as 60xx, or element such as 31xx, PS3.5 7.6
    /// and PS3.6 6) becomes 0 in the tag and clears its four bits in the mask.
    /// </summary>
    private static (uint Tag, uint Mask) ParseTag(string text)
    {
        if (text.Length != 9 || text[4] != ',')
        {
            throw new InvalidDataException($"Bad tag '{text}'.");
        }

        uint tag = 0, mask = 0;
        foreach (var c in text.Remove(4, 1))
        {
            tag <<= 4;
            mask <<= 4;
            if (c == 'x')
            {
                continue;
            }

            mask |= 0xF;
            tag |= c switch
            {
                >= '0' and <= '9' => (uint)(c - '0'),
                >= 'A' and <= 'F' => (uint)(c - 'A' + 10),
                _ => throw new InvalidDataException($"Bad tag '{text}'."),
            };
        }

        return (tag, mask);
    }

    /// <summary>
    /// The VR column: empty for items, delimiters and blank placeholders (no VR), else one VR or the standard's
    /// "A or B" written A|B. The entry keeps two: "US or SS or OW" ((0028,1200), retired) keeps US and SS, the
    /// pixel-value alternatives, since OW only applies to the retired multi-value form.
    /// </summary>
    private static (string VR, string Alternate) ParseVR(string text, string tag)
    {
        if (text.Length == 0)
        {
            return ("None", "None");
        }

        var parts = text.Split('|');
        foreach (var part in parts)
        {
            if (part.Length != 2 || !char.IsAsciiLetterUpper(part[0]) || !char.IsAsciiLetterUpper(part[1]))
            {
                throw new InvalidDataException($"{tag}: bad VR '{text}'.");
            }
        }

        return (parts[0], parts.Length > 1 ? parts[1] : "None");
    }

    internal static string CheckIdentifier(string keyword, string what)
    {
        if (keyword.Length > 0 && (!char.IsAsciiLetter(keyword[0]) || !keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new InvalidDataException($"{what}: keyword '{keyword}' is not a C# identifier.");
        }

        return keyword;
    }
}

/// <summary>A row of uids.tsv.</summary>
internal sealed record UidRow(string Uid, string Name, string Keyword, string Type, bool IsRetired, string Info)
{
    public static List<UidRow> ReadAll(string path)
    {
        var rows = new List<UidRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in Tsv.Read(path, "uid\tname\tkeyword\ttype\tretired\tinfo\ttable"))
        {
            if (!seen.Add(f[0]))
            {
                throw new InvalidDataException($"{path}: UID {f[0]} is listed twice.");
            }

            rows.Add(new UidRow(f[0], f[1], ElementRow.CheckIdentifier(f[2], f[0]), f[3], Tsv.YesNo(f[4], f[0]), f[5]));
        }

        return rows;
    }

    /// <summary>The UID Type column of PS3.6 Table A-1 (and A-2) as a DicomUidType member.</summary>
    public string TypeMember => Type switch
    {
        "SOP Class" => "SopClass",
        "Transfer Syntax" => "TransferSyntax",
        "Meta SOP Class" => "MetaSopClass",
        "Well-known SOP Instance" => "WellKnownSopInstance",
        "Coding Scheme" => "CodingScheme",
        "Service Class" => "ServiceClass",
        "Application Context Name" => "ApplicationContextName",
        "LDAP OID" => "LdapOid",
        "Well-known frame of reference" => "WellKnownFrameOfReference",
        _ => "Other",
    };
}

/// <summary>Writes the C# files.</summary>
internal static class Emit
{
    private const string Header = "// <auto-generated>\n"
        + "// Generated by tools/generate-dictionary.cs from tools/registry/{0} (DICOM 2026a, see tools/registry/SOURCE.md).\n"
        + "// Do not edit: change the generator or the registry and run `dotnet run tools/generate-dictionary.cs`.\n"
        + "// </auto-generated>\n"
        + "namespace DicomArchive.Dicom;\n\n";

    /// <summary>Members DicomTag declares by hand (DicomTag.cs); a keyword field must not repeat them.</summary>
    private static readonly HashSet<string> TagMembers = new(StringComparer.Ordinal)
    {
        "Value", "Group", "Element", "IsPrivate", "IsPrivateCreator", "IsGroupLength", "IsDelimiter", "PrivateCreatorTag",
        "Item", "ItemDelimitationItem", "SequenceDelimitationItem", "Equals", "GetHashCode", "CompareTo", "ToString", "TryParse",
        "DicomTag",
    };

    /// <summary>Members DicomUid declares by hand (DicomUid.cs); a colliding keyword gets the suffix "Uid".</summary>
    private static readonly HashSet<string> UidMembers = new(StringComparer.Ordinal)
    {
        "Value", "Name", "Keyword", "Type", "IsRetired", "IsStorageSopClass", "Lookup", "TryLookup", "All", "Equals",
        "GetHashCode", "ToString", "Registry", "BuildRegistry", "GeneratedAll", "DicomUid",
    };

    /// <summary>
    /// The dictionary as one constant string, a row per line, that DicomDictionary.ParseEntries reads on first
    /// use: 5,354 <c>new(...)</c> calls in one method took about 95 ms to JIT and run, the string about 2 ms.
    /// </summary>
    public static string Dictionary(List<ElementRow> rows)
    {
        var s = new StringBuilder();
        s.Append(string.Format(CultureInfo.InvariantCulture, Header, "data-elements.tsv"));
        s.Append("public static partial class DicomDictionary\n{\n");
        s.Append(CultureInfo.InvariantCulture, $"    private const int EntryCount = {rows.Count};\n\n");
        s.Append("    /// <summary>\n");
        s.Append("    /// One entry per line: tag | mask (empty for FFFFFFFF) | VR | alternate VR | VM | R if retired | keyword | name.\n");
        s.Append("    /// Tag and mask are hex; a repeating group or element (60xx,3000) has 0 in the x digits and a mask clearing them.\n");
        s.Append("    /// </summary>\n");
        s.Append("    private const string EntryRows = \"\"\"\n");
        foreach (var r in rows)
        {
            var fields = new[] { r.Keyword, r.Name, r.VM };
            if (fields.Any(f => f.Contains('|', StringComparison.Ordinal) || f.Contains('"', StringComparison.Ordinal) || f.Any(char.IsControl)))
            {
                throw new InvalidDataException($"({r.TagText}): a field holds '|', '\"' or a control character.");
            }

            var mask = r.IsRepeating ? r.Mask.ToString("X8", CultureInfo.InvariantCulture) : string.Empty;
            var vr = r.VR == "None" ? string.Empty : r.VR;
            var alternate = r.AlternateVR == "None" ? string.Empty : r.AlternateVR;
            s.Append(CultureInfo.InvariantCulture,
                $"        {r.Tag:X8}|{mask}|{vr}|{alternate}|{r.VM}|{(r.IsRetired ? "R" : string.Empty)}|{r.Keyword}|{r.Name}\n");
        }

        s.Append("        \"\"\";\n\n");
        s.Append("    private static DicomDictionaryEntry[] CreateEntries() => ParseEntries(EntryRows, EntryCount);\n}\n");
        return s.ToString();
    }

    /// <summary>
    /// A static property per keyword. Properties rather than static readonly fields: 5,000 fields made DicomTag's
    /// static constructor cost about 30 ms on first use of any tag, while a property costs nothing until called
    /// and the JIT folds it into a constant, as it does a readonly field.
    /// </summary>
    public static string Tags(List<ElementRow> rows)
    {
        var s = new StringBuilder();
        s.Append(string.Format(CultureInfo.InvariantCulture, Header, "data-elements.tsv"));
        s.Append("public readonly partial struct DicomTag\n{\n");
        var specific = rows.Where(r => !r.IsRepeating).Select(r => r.Tag).ToHashSet();
        var first = true;
        foreach (var r in rows)
        {
            // Item and the two delimitation items are declared by hand in DicomTag.cs (PS3.5 7.5).
            if (r.Keyword.Length == 0 || TagMembers.Contains(r.Keyword))
            {
                continue;
            }

            if (!first)
            {
                s.Append('\n');
            }

            first = false;
            var vr = r.VRText.Length == 0 ? "no VR" : r.VRText.Replace("|", " or ", StringComparison.Ordinal);
            var retired = r.IsRetired ? ", retired" : string.Empty;
            s.Append(CultureInfo.InvariantCulture, $"    /// <summary>({r.TagText}) {Xml(r.Name)}, {vr}, VM {Xml(r.VM)}{retired}</summary>\n");
            var tag = FieldTag(r, specific);
            s.Append(CultureInfo.InvariantCulture, $"    public static DicomTag {r.Keyword} => new(0x{tag >> 16:X4}, 0x{tag & 0xFFFF:X4});\n");
        }

        s.Append("}\n");
        return s.ToString();
    }

    /// <summary>
    /// The tag a keyword field names. For a repeating group or element it is the first tag the pattern covers
    /// (the x digits counted up from 0: OverlayData (60xx,3000) is (6000,3000)) that is neither listed as an
    /// element of its own nor a group length (PS3.5 7.2): so RowsForNthOrderCoefficients (0028,04x0) is (0028,0410),
    /// not TransformLabel (0028,0400), and ZonalMap (1010,xxxx) is (1010,0001), not the group length (1010,0000).
    /// </summary>
    private static uint FieldTag(ElementRow row, HashSet<uint> specific)
    {
        if (!row.IsRepeating)
        {
            return row.Tag;
        }

        // Spread a counter over the x digits, lowest digit first, until the tag is free.
        var free = ~row.Mask;
        for (uint n = 0; ; n++)
        {
            uint tag = row.Tag, rest = n;
            for (var bit = 0; bit < 32; bit += 4)
            {
                if (((free >> bit) & 0xF) != 0)
                {
                    tag |= (rest & 0xF) << bit;
                    rest >>= 4;
                }
            }

            if (rest != 0)
            {
                throw new InvalidDataException($"({row.TagText}): every tag of the pattern is taken.");
            }

            if ((tag & 0xFFFF) != 0 && !specific.Contains(tag))
            {
                return tag;
            }
        }
    }

    public static string Uids(List<UidRow> rows)
    {
        var s = new StringBuilder();
        s.Append(string.Format(CultureInfo.InvariantCulture, Header, "uids.tsv"));
        s.Append("public sealed partial class DicomUid\n{\n");
        var fields = new List<string?>(rows.Count);
        foreach (var r in rows)
        {
            var created = string.Create(CultureInfo.InvariantCulture,
                $"new({Literal(r.Uid)}, {Literal(r.Name)}, {Literal(r.Keyword)}, DicomUidType.{r.TypeMember}, {(r.IsRetired ? "true" : "false")})");
            if (r.Keyword.Length == 0)
            {
                fields.Add(created);
                continue;
            }

            var field = UidMembers.Contains(r.Keyword) ? r.Keyword + "Uid" : r.Keyword;
            fields.Add(field);
            var info = r.Info.Length > 0 ? $": {r.Info}" : string.Empty;
            var retired = r.IsRetired ? ", retired" : string.Empty;
            s.Append(CultureInfo.InvariantCulture, $"    /// <summary>{r.Uid} {Xml(r.Name)}{Xml(info)} ({Xml(r.Type)}{retired})</summary>\n");
            s.Append(CultureInfo.InvariantCulture, $"    public static readonly DicomUid {field} =\n        {created};\n\n");
        }

        s.Append(CultureInfo.InvariantCulture, $"    /// <summary>All {rows.Count} UIDs of the registry, in its order; those without a keyword only here.</summary>\n");
        s.Append("    private static IEnumerable<DicomUid> GeneratedAll() =>\n    [\n");
        foreach (var f in fields)
        {
            s.Append(CultureInfo.InvariantCulture, $"        {f},\n");
        }

        s.Append("    ];\n}\n");
        return s.ToString();
    }

    private static string Literal(string text)
    {
        var s = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => s.Append("\\\""),
                '\\' => s.Append("\\\\"),
                < ' ' => s.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => s.Append(c),
            };
        }

        return s.Append('"').ToString();
    }

    private static string Xml(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
