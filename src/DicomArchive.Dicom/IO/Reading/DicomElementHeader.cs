namespace DicomArchive.Dicom;

/// <summary>
/// The header of a data element as encoded (PS3.5 7.1): tag, VR (explicit VR only) and value length.
/// Items and delimiters (group FFFE) have a tag and a length but never a VR (PS3.5 7.5).
/// </summary>
public readonly struct DicomElementHeader : IEquatable<DicomElementHeader>
{
    /// <summary>The value length that marks an undefined length (PS3.5 7.1.1).</summary>
    public const uint UndefinedLength = 0xFFFFFFFF;

    public DicomElementHeader(DicomTag tag, DicomVR vr, uint length)
    {
        Tag = tag;
        VR = vr;
        Length = length;
    }

    public DicomTag Tag { get; }

    /// <summary>The VR as encoded; <see cref="DicomVR.None"/> in implicit VR and for items and delimiters.</summary>
    public DicomVR VR { get; }

    /// <summary>The value length as encoded; <see cref="UndefinedLength"/> when undefined.</summary>
    public uint Length { get; }

    public bool HasUndefinedLength => Length == UndefinedLength;

    public bool Equals(DicomElementHeader other) => Tag == other.Tag && VR == other.VR && Length == other.Length;

    public override bool Equals(object? obj) => obj is DicomElementHeader other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Tag, VR, Length);

    public override string ToString() =>
        $"{Tag} {DicomVRInfo.Name(VR)} {(HasUndefinedLength ? "undefined" : Length.ToString(System.Globalization.CultureInfo.InvariantCulture))}";

    public static bool operator ==(DicomElementHeader left, DicomElementHeader right) => left.Equals(right);

    public static bool operator !=(DicomElementHeader left, DicomElementHeader right) => !left.Equals(right);
}
