namespace DicomArchive.Dicom;

/// <summary>
/// A transfer syntax (PS3.5 10): how a data set is encoded. The properties say what the reader and the
/// writer must do; an unknown UID is treated as an encapsulated explicit VR little endian syntax, which
/// is what every transfer syntax other than the three uncompressed ones and deflate is (PS3.5 A.4).
/// </summary>
public sealed class TransferSyntax : IEquatable<TransferSyntax>
{
    private TransferSyntax(string uid, string name, bool isExplicitVR, bool isLittleEndian, bool isDeflated, bool isEncapsulated, bool isRetired)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = isExplicitVR;
        IsLittleEndian = isLittleEndian;
        IsDeflated = isDeflated;
        IsEncapsulated = isEncapsulated;
        IsRetired = isRetired;
    }

    public string Uid { get; }

    public string Name { get; }

    /// <summary>False only for Implicit VR Little Endian (PS3.5 A.1).</summary>
    public bool IsExplicitVR { get; }

    /// <summary>False only for the retired Explicit VR Big Endian (PS3.5 A.3).</summary>
    public bool IsLittleEndian { get; }

    /// <summary>The data set is compressed with deflate (RFC 1951), after the meta header (PS3.5 A.5).</summary>
    public bool IsDeflated { get; }

    /// <summary>Pixel data is encapsulated in fragments (PS3.5 A.4).</summary>
    public bool IsEncapsulated { get; }

    public bool IsRetired { get; }

    /// <summary>One of the uncompressed syntaxes a data set converts between by re-encoding alone.</summary>
    public bool IsUncompressed => !IsEncapsulated && !IsDeflated;

    /// <summary>PS3.5 A.1: the default transfer syntax for DICOM.</summary>
    public static readonly TransferSyntax ImplicitVRLittleEndian =
        new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, true, false, false, false);

    /// <summary>PS3.5 A.2.</summary>
    public static readonly TransferSyntax ExplicitVRLittleEndian =
        new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, true, false, false, false);

    /// <summary>PS3.5 A.5.</summary>
    public static readonly TransferSyntax DeflatedExplicitVRLittleEndian =
        new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, true, true, false, false);

    /// <summary>PS3.5 A.3 (retired, still met in old archives).</summary>
    public static readonly TransferSyntax ExplicitVRBigEndian =
        new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, false, false, false, true);

    /// <summary>PS3.5 A.4.11: uncompressed pixel data in fragments.</summary>
    public static readonly TransferSyntax EncapsulatedUncompressedExplicitVRLittleEndian =
        new("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", true, true, false, true, false);

    public static readonly TransferSyntax JpegBaseline8Bit =
        new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, true, false, true, false);

    public static readonly TransferSyntax JpegLosslessSV1 =
        new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", true, true, false, true, false);

    public static readonly TransferSyntax Jpeg2000Lossless =
        new("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", true, true, false, true, false);

    public static readonly TransferSyntax RleLossless =
        new("1.2.840.10008.1.2.5", "RLE Lossless", true, true, false, true, false);

    /// <summary>
    /// PS3.5 A.7 (JPIP Referenced Deflate): pixel data is referenced by a JPIP URL, and the data set is deflated
    /// explicit VR little endian like <see cref="DeflatedExplicitVRLittleEndian"/>.
    /// </summary>
    public static readonly TransferSyntax JpipReferencedDeflate =
        new("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate", true, true, true, false, false);

    /// <summary>
    /// The transfer syntax for a UID. Registered syntaxes carry their registry name; any other UID is taken as
    /// encapsulated explicit VR little endian, as all compressed syntaxes are (PS3.5 A.4).
    /// </summary>
    public static TransferSyntax Lookup(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        uid = uid.TrimEnd('\0', ' ');
        switch (uid)
        {
            case "1.2.840.10008.1.2": return ImplicitVRLittleEndian;
            case "1.2.840.10008.1.2.1": return ExplicitVRLittleEndian;
            case "1.2.840.10008.1.2.1.99": return DeflatedExplicitVRLittleEndian;
            case "1.2.840.10008.1.2.2": return ExplicitVRBigEndian;
            case "1.2.840.10008.1.2.1.98": return EncapsulatedUncompressedExplicitVRLittleEndian;
            case "1.2.840.10008.1.2.4.50": return JpegBaseline8Bit;
            case "1.2.840.10008.1.2.4.70": return JpegLosslessSV1;
            case "1.2.840.10008.1.2.4.90": return Jpeg2000Lossless;
            case "1.2.840.10008.1.2.5": return RleLossless;
            case "1.2.840.10008.1.2.4.95": return JpipReferencedDeflate;
        }

        var registered = DicomUid.TryLookup(uid, out var entry) && entry.Type == DicomUidType.TransferSyntax;
        return new TransferSyntax(uid, registered ? entry!.Name : string.Empty, true, true, false, true, registered && entry!.IsRetired);
    }

    /// <summary>The uncompressed syntaxes, in the order a sender usually prefers them.</summary>
    public static IReadOnlyList<TransferSyntax> Uncompressed { get; } =
        [ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian];

    public bool Equals(TransferSyntax? other) => other is not null && string.Equals(Uid, other.Uid, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is TransferSyntax other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Uid);

    public override string ToString() => Name.Length > 0 ? Name : Uid;
}
