using System.Globalization;
using System.Text.Json;

namespace DicomArchive.Service.Tests.Parity;

/// <summary>
/// Compares our DICOM JSON with pydicom's, attribute by attribute. Each normalisation below is a place where
/// both outputs are valid readings of PS3.18 F.2 (or pydicom departs from it) and the data is the same:
/// <list type="number">
/// <item>Group lengths (gggg,0000): pydicom writes them; F.2.2 says they shall not be included. Dropped from pydicom's side.</item>
/// <item>Elements pydicom cannot convert (it raises, e.g. IS "1A") are left out: pydicom has no output to compare.</item>
/// <item>An empty sequence: pydicom writes "Value": []; F.2.5 says an empty attribute has no "Value". [] equals absent.</item>
/// <item>An empty value inside a multi-valued string: pydicom writes ""; F.2.5 says null. "" equals null.</item>
/// <item>PN component groups: pydicom writes empty groups ("Alphabetic": "") before a non-empty one; F.2.2 lists only
/// non-empty groups. Empty groups are dropped.</item>
/// <item>Numbers compare by value, not by text: pydicom sends DS through a Python float ("5" becomes 5.0, "0.000000"
/// becomes 0.0); we keep the digits of the DS text. FL compares as float: pydicom writes the double nearest the
/// float (-77.20406341552734), we write the float's shortest form (-77.20406); both parse to the same float.</item>
/// <item>IS, DS, SV, UV given as a string on one side and a number on the other compare by numeric value
/// (F.2.3 allows either form).</item>
/// <item>InlineBinary compares the decoded bytes (base64 line breaks or padding variants do not matter). In a big
/// endian file pydicom inlines OW/OF/OL/OD/OV values in the file's byte order; we inline little endian (F.2.7: the
/// PS3.5 byte-ordering rules apply, and DICOM JSON is not a big endian encoding). Equal after swapping pydicom's
/// bytes per value unit is equal.</item>
/// <item>Leading and trailing spaces of the values of AE, AS, CS, DA, DS, DT, IS, LO, PN, SH, TM, UI are not
/// significant (PS3.5 Table 6.2-1); pydicom keeps the trailing spaces of all but the last of several values
/// ("DERIVED \PRIMARY" gives "DERIVED "), we remove them from each value.</item>
/// <item>An element encoded with VR UN whose tag the dictionary knows: pydicom re-reads it with the dictionary's VR;
/// we write it as encoded (UN, InlineBinary), as dcmdump shows it. When pydicom's VR is a string VR, our bytes must
/// decode to pydicom's values; for binary VRs and SQ (pydicom parses UN bytes of a known SQ tag as an implicit
/// VR sequence) the VR difference alone is accepted.</item>
/// </list>
/// </summary>
internal static class DicomJsonComparer
{
    public static List<string> Compare(JsonElement ours, JsonElement theirs, IReadOnlySet<string> theirInvalidTags)
    {
        var differences = new List<string>();
        CompareDataset(ours, theirs, theirInvalidTags, string.Empty, differences);
        return differences;
    }

    private static void CompareDataset(JsonElement ours, JsonElement theirs, IReadOnlySet<string> invalid, string path, List<string> differences)
    {
        var theirKeys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in theirs.EnumerateObject())
        {
            if (property.Name.EndsWith("0000", StringComparison.Ordinal) || (path.Length == 0 && invalid.Contains(property.Name)))
            {
                continue;
            }

            theirKeys.Add(property.Name);
        }

        var ourKeys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in ours.EnumerateObject())
        {
            if (path.Length == 0 && invalid.Contains(property.Name))
            {
                continue;
            }

            ourKeys.Add(property.Name);
        }

        foreach (var key in theirKeys)
        {
            if (!ourKeys.Contains(key))
            {
                differences.Add($"{path}{key}: missing in ours (pydicom: {Short(theirs.GetProperty(key))})");
            }
        }

        foreach (var key in ourKeys)
        {
            if (!theirKeys.Contains(key))
            {
                differences.Add($"{path}{key}: only in ours ({Short(ours.GetProperty(key))})");
                continue;
            }

            CompareAttribute(ours.GetProperty(key), theirs.GetProperty(key), invalid, path + key, differences);
        }
    }

    private static void CompareAttribute(JsonElement ours, JsonElement theirs, IReadOnlySet<string> invalid, string path, List<string> differences)
    {
        var vr = ours.GetProperty("vr").GetString()!;
        var theirVr = theirs.GetProperty("vr").GetString()!;
        if (vr == "UN" && theirVr != "UN")
        {
            CompareUnknownWithKnown(ours, theirs, theirVr, path, differences);
            return;
        }

        if (!string.Equals(vr, theirVr, StringComparison.Ordinal))
        {
            differences.Add($"{path}: vr {vr} vs pydicom {theirVr}");
            return;
        }

        var ourBinary = ours.TryGetProperty("InlineBinary", out var ob) ? ob.GetString() : null;
        var theirBinary = theirs.TryGetProperty("InlineBinary", out var tb) ? tb.GetString() : null;
        if (ourBinary is not null || theirBinary is not null)
        {
            var a = Convert.FromBase64String(ourBinary ?? string.Empty);
            var b = Convert.FromBase64String(theirBinary ?? string.Empty);
            if (!a.AsSpan().SequenceEqual(b) && !SwappedEqual(vr, a, b))
            {
                differences.Add($"{path}: InlineBinary differs ({a.Length} bytes vs pydicom {b.Length}{FirstDifference(a, b)})");
            }

            return;
        }

        var ourValues = Values(ours);
        var theirValues = Values(theirs);
        if (ourValues.Count != theirValues.Count)
        {
            differences.Add($"{path}: {ourValues.Count} values vs pydicom {theirValues.Count} ({Short(ours)} vs {Short(theirs)})");
            return;
        }

        for (var i = 0; i < ourValues.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (vr == "SQ")
            {
                CompareDataset(ourValues[i], theirValues[i], invalid, itemPath + ".", differences);
            }
            else if (!SameValue(vr, ourValues[i], theirValues[i]))
            {
                differences.Add($"{itemPath}: {ourValues[i].GetRawText()} vs pydicom {theirValues[i].GetRawText()}");
            }
        }
    }

    /// <summary>Our UN bytes against pydicom's values of the dictionary VR (see the class remarks).</summary>
    private static void CompareUnknownWithKnown(JsonElement ours, JsonElement theirs, string theirVr, string path, List<string> differences)
    {
        if (!DicomArchive.Dicom.DicomVRInfo.TryParse(theirVr, out var known) || !DicomArchive.Dicom.DicomVRInfo.IsString(known) || theirVr == "PN")
        {
            return;
        }

        byte[] bytes = ours.TryGetProperty("InlineBinary", out var b) ? Convert.FromBase64String(b.GetString()!) : [];
        var text = System.Text.Encoding.Latin1.GetString(bytes).TrimEnd(' ', '\0');
        string[] ourValues = text.Length == 0 ? [] : text.Split('\\');
        var theirValues = Values(theirs);
        if (ourValues.Length != theirValues.Count)
        {
            differences.Add($"{path}: UN {ourValues.Length} values vs pydicom {theirVr} {theirValues.Count}");
            return;
        }

        for (var i = 0; i < ourValues.Length; i++)
        {
            using var document = JsonDocument.Parse(JsonSerializer.Serialize(ourValues[i].Trim(' ', '\0')));
            if (!SameValue(theirVr, document.RootElement, theirValues[i]))
            {
                differences.Add($"{path}[{i}]: UN \"{ourValues[i]}\" vs pydicom {theirVr} {theirValues[i].GetRawText()}");
            }
        }
    }

    private static bool SwappedEqual(string vr, byte[] ours, byte[] theirs)
    {
        var unit = vr switch { "OW" => 2, "OF" or "OL" => 4, "OD" or "OV" => 8, _ => 0 };
        if (unit == 0 || ours.Length != theirs.Length || ours.Length % unit != 0)
        {
            return false;
        }

        for (var i = 0; i < ours.Length; i += unit)
        {
            for (var j = 0; j < unit; j++)
            {
                if (ours[i + j] != theirs[i + unit - 1 - j])
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static List<JsonElement> Values(JsonElement attribute)
    {
        var values = new List<JsonElement>();
        if (attribute.TryGetProperty("Value", out var array))
        {
            foreach (var value in array.EnumerateArray())
            {
                values.Add(value);
            }
        }

        return values;
    }

    private static bool SameValue(string vr, JsonElement ours, JsonElement theirs)
    {
        if (IsNullOrEmpty(ours) || IsNullOrEmpty(theirs))
        {
            return IsNullOrEmpty(ours) && IsNullOrEmpty(theirs);
        }

        if (vr == "PN")
        {
            return SamePersonName(ours, theirs);
        }

        if (vr is "IS" or "DS" or "SV" or "UV" or "FL" or "FD" or "US" or "SS" or "UL" or "SL")
        {
            if (TryNumber(ours, out var a) && TryNumber(theirs, out var b))
            {
                return vr == "FL" ? (float)a == (float)b || (double.IsNaN(a) && double.IsNaN(b)) : a.Equals(b);
            }
        }

        if (ours.ValueKind == JsonValueKind.String && theirs.ValueKind == JsonValueKind.String && SpacesInsignificant(vr))
        {
            return string.Equals(ours.GetString()!.Trim(' '), theirs.GetString()!.Trim(' '), StringComparison.Ordinal);
        }

        return ours.ValueKind == theirs.ValueKind && ours.ValueKind == JsonValueKind.String
            ? string.Equals(ours.GetString(), theirs.GetString(), StringComparison.Ordinal)
            : string.Equals(ours.GetRawText(), theirs.GetRawText(), StringComparison.Ordinal);
    }

    private static bool SpacesInsignificant(string vr) =>
        vr is "AE" or "AS" or "CS" or "DA" or "DS" or "DT" or "IS" or "LO" or "PN" or "SH" or "TM" or "UI";

    private static bool SamePersonName(JsonElement ours, JsonElement theirs)
    {
        if (ours.ValueKind != JsonValueKind.Object || theirs.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var group in new[] { "Alphabetic", "Ideographic", "Phonetic" })
        {
            var a = ours.TryGetProperty(group, out var x) ? x.GetString() ?? string.Empty : string.Empty;
            var b = theirs.TryGetProperty(group, out var y) ? y.GetString() ?? string.Empty : string.Empty;
            if (!string.Equals(a.Trim(' '), b.Trim(' '), StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNullOrEmpty(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0);

    private static bool TryNumber(JsonElement value, out double number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out number),
            JsonValueKind.String => double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    private static string FirstDifference(byte[] a, byte[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return $", first at byte {i}";
            }
        }

        return string.Empty;
    }

    private static string Short(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 120 ? text : text[..120] + "...";
    }
}
