using System.Globalization;

namespace DicomArchive.Dicom;

/// <summary>
/// A data element tag: an ordered pair of 16-bit group and element numbers (PS3.5 7.1).
/// Tags compare by group, then element, which is the order data sets are encoded in (PS3.5 7.1).
/// </summary>
public readonly partial struct DicomTag : IEquatable<DicomTag>, IComparable<DicomTag>
{
    /// <summary>Creates a tag from its group and element numbers.</summary>
    public DicomTag(ushort group, ushort element) => Value = ((uint)group << 16) | element;

    /// <summary>Creates a tag from its 32-bit value, group in the high half (0x00100010 is PatientName).</summary>
    public DicomTag(uint value) => Value = value;

    /// <summary>The tag as one 32-bit number, group in the high half.</summary>
    public uint Value { get; }

    /// <summary>The group number.</summary>
    public ushort Group => (ushort)(Value >> 16);

    /// <summary>The element number.</summary>
    public ushort Element => (ushort)Value;

    /// <summary>Odd groups are private (PS3.5 7.8.1); groups 0001, 0003, 0005, 0007 and FFFF are not permitted.</summary>
    public bool IsPrivate => (Group & 1) == 1;

    /// <summary>(gggg,0010-00FF) in an odd group reserves a block of private elements (PS3.5 7.8.1).</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    /// <summary>(gggg,0000): the group length element, retired outside group 0000 and 0002 (PS3.5 7.2).</summary>
    public bool IsGroupLength => Element == 0;

    /// <summary>The item, item delimitation and sequence delimitation tags of group FFFE (PS3.5 7.5).</summary>
    public bool IsDelimiter => Group == 0xFFFE;

    /// <summary>For a private data element (gggg,xxyy), the private creator tag (gggg,00xx) that reserves it.</summary>
    public DicomTag PrivateCreatorTag => new(Group, (ushort)(Element >> 8));

    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);

    public bool Equals(DicomTag other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is DicomTag other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Formats as (GGGG,EEEE) in upper-case hex, as the standard writes tags.</summary>
    public override string ToString() => string.Create(11, Value, static (span, v) =>
    {
        span[0] = '(';
        ((ushort)(v >> 16)).TryFormat(span[1..], out _, "X4", CultureInfo.InvariantCulture);
        span[5] = ',';
        ((ushort)v).TryFormat(span[6..], out _, "X4", CultureInfo.InvariantCulture);
        span[10] = ')';
    });

    /// <summary>Parses "(GGGG,EEEE)", "GGGG,EEEE" or "GGGGEEEE" (hex).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DicomTag tag)
    {
        tag = default;
        text = text.Trim();
        if (text.Length >= 2 && text[0] == '(' && text[^1] == ')')
        {
            text = text[1..^1];
        }

        ushort g, e;
        if (text.Length == 9 && text[4] == ',')
        {
            if (!ushort.TryParse(text[..4], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out g)
                || !ushort.TryParse(text[5..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out e))
            {
                return false;
            }
        }
        else if (text.Length == 8)
        {
            if (!ushort.TryParse(text[..4], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out g)
                || !ushort.TryParse(text[4..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out e))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        tag = new DicomTag(g, e);
        return true;
    }

    public static bool operator ==(DicomTag left, DicomTag right) => left.Value == right.Value;

    public static bool operator !=(DicomTag left, DicomTag right) => left.Value != right.Value;

    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;
}
