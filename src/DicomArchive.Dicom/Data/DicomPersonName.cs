namespace DicomArchive.Dicom;

/// <summary>
/// A Person Name (PN) value (PS3.5 6.2.1): up to three component groups separated by '=' — alphabetic,
/// ideographic and phonetic — each of five components separated by '^'. Parse the decoded text of one value
/// (the character set has already been applied, see <see cref="DicomCharacterSet"/>).
/// </summary>
public readonly struct DicomPersonName : IEquatable<DicomPersonName>
{
    public DicomPersonName(DicomPersonNameGroup alphabetic, DicomPersonNameGroup ideographic = default, DicomPersonNameGroup phonetic = default)
    {
        Alphabetic = alphabetic;
        Ideographic = ideographic;
        Phonetic = phonetic;
    }

    /// <summary>The single-byte (alphabetic) representation.</summary>
    public DicomPersonNameGroup Alphabetic { get; }

    /// <summary>The ideographic representation (e.g. Kanji, Hanja, Hanzi).</summary>
    public DicomPersonNameGroup Ideographic { get; }

    /// <summary>The phonetic representation (e.g. Hiragana, Hangul).</summary>
    public DicomPersonNameGroup Phonetic { get; }

    public string FamilyName => Alphabetic.FamilyName;

    public string GivenName => Alphabetic.GivenName;

    public string MiddleName => Alphabetic.MiddleName;

    public string NamePrefix => Alphabetic.NamePrefix;

    public string NameSuffix => Alphabetic.NameSuffix;

    /// <summary>True when every component of every group is empty.</summary>
    public bool IsEmpty => Alphabetic.IsEmpty && Ideographic.IsEmpty && Phonetic.IsEmpty;

    /// <summary>A name with only an alphabetic group made from its components.</summary>
    public static DicomPersonName FromComponents(
        string familyName, string givenName = "", string middleName = "", string namePrefix = "", string nameSuffix = "") =>
        new(new DicomPersonNameGroup(familyName, givenName, middleName, namePrefix, nameSuffix));

    /// <summary>
    /// Parses one decoded PN value. Groups past the third are ignored (PS3.5 6.2.1.1 allows three); surrounding
    /// padding spaces are removed. Never throws.
    /// </summary>
    public static DicomPersonName Parse(ReadOnlySpan<char> text)
    {
        text = text.Trim(' ');
        var groups = new DicomPersonNameGroup[3];
        for (var i = 0; i < 3; i++)
        {
            var equals = text.IndexOf('=');
            if (equals < 0)
            {
                groups[i] = DicomPersonNameGroup.Parse(text);
                break;
            }

            groups[i] = DicomPersonNameGroup.Parse(text[..equals]);
            text = text[(equals + 1)..];
        }

        return new DicomPersonName(groups[0], groups[1], groups[2]);
    }

    /// <summary>The value in DICOM form, trailing empty groups and components trimmed (PS3.5 6.2.1.1).</summary>
    public override string ToString()
    {
        var alphabetic = Alphabetic.ToString();
        var ideographic = Ideographic.ToString();
        var phonetic = Phonetic.ToString();
        if (phonetic.Length > 0)
        {
            return string.Concat(alphabetic, "=", ideographic, "=", phonetic);
        }

        return ideographic.Length > 0 ? string.Concat(alphabetic, "=", ideographic) : alphabetic;
    }

    public bool Equals(DicomPersonName other) =>
        Alphabetic == other.Alphabetic && Ideographic == other.Ideographic && Phonetic == other.Phonetic;

    public override bool Equals(object? obj) => obj is DicomPersonName other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Alphabetic, Ideographic, Phonetic);

    public static bool operator ==(DicomPersonName left, DicomPersonName right) => left.Equals(right);

    public static bool operator !=(DicomPersonName left, DicomPersonName right) => !left.Equals(right);
}
