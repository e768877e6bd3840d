namespace DicomArchive.Dicom;

/// <summary>
/// One component group of a PN value (PS3.5 6.2.1.1): the five components separated by '^', in the order
/// family name, given name, middle name, name prefix, name suffix. Absent components are empty strings.
/// </summary>
public readonly struct DicomPersonNameGroup : IEquatable<DicomPersonNameGroup>
{
    private readonly string? familyName;
    private readonly string? givenName;
    private readonly string? middleName;
    private readonly string? namePrefix;
    private readonly string? nameSuffix;

    public DicomPersonNameGroup(string familyName, string givenName = "", string middleName = "", string namePrefix = "", string nameSuffix = "")
    {
        this.familyName = familyName;
        this.givenName = givenName;
        this.middleName = middleName;
        this.namePrefix = namePrefix;
        this.nameSuffix = nameSuffix;
    }

    public string FamilyName => familyName ?? string.Empty;

    public string GivenName => givenName ?? string.Empty;

    public string MiddleName => middleName ?? string.Empty;

    public string NamePrefix => namePrefix ?? string.Empty;

    public string NameSuffix => nameSuffix ?? string.Empty;

    /// <summary>True when every component is empty.</summary>
    public bool IsEmpty => FamilyName.Length == 0 && GivenName.Length == 0 && MiddleName.Length == 0
        && NamePrefix.Length == 0 && NameSuffix.Length == 0;

    /// <summary>
    /// Splits a component group on '^'. Components past the fifth are kept in the suffix so nothing is lost;
    /// each component's leading and trailing spaces are removed (PS3.5 6.2: they are not significant).
    /// </summary>
    public static DicomPersonNameGroup Parse(ReadOnlySpan<char> text)
    {
        Span<string> parts = ["", "", "", "", ""];
        for (var i = 0; i < 4; i++)
        {
            var caret = text.IndexOf('^');
            if (caret < 0)
            {
                parts[i] = text.Trim(' ').ToString();
                return new DicomPersonNameGroup(parts[0], parts[1], parts[2], parts[3], parts[4]);
            }

            parts[i] = text[..caret].Trim(' ').ToString();
            text = text[(caret + 1)..];
        }

        parts[4] = text.Trim(' ').ToString();
        return new DicomPersonNameGroup(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    /// <summary>The group in DICOM form, trailing empty components and their '^' removed (PS3.5 6.2.1.1).</summary>
    public override string ToString()
    {
        ReadOnlySpan<string> parts = [FamilyName, GivenName, MiddleName, NamePrefix, NameSuffix];
        var last = parts.Length - 1;
        while (last >= 0 && parts[last].Length == 0)
        {
            last--;
        }

        return last < 0 ? string.Empty : string.Join('^', parts[..(last + 1)]);
    }

    public bool Equals(DicomPersonNameGroup other) =>
        string.Equals(FamilyName, other.FamilyName, StringComparison.Ordinal)
        && string.Equals(GivenName, other.GivenName, StringComparison.Ordinal)
        && string.Equals(MiddleName, other.MiddleName, StringComparison.Ordinal)
        && string.Equals(NamePrefix, other.NamePrefix, StringComparison.Ordinal)
        && string.Equals(NameSuffix, other.NameSuffix, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is DicomPersonNameGroup other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(FamilyName, GivenName, MiddleName, NamePrefix, NameSuffix);

    public static bool operator ==(DicomPersonNameGroup left, DicomPersonNameGroup right) => left.Equals(right);

    public static bool operator !=(DicomPersonNameGroup left, DicomPersonNameGroup right) => !left.Equals(right);
}
