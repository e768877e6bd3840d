namespace DicomArchive.Dicom;

/// <summary>
/// A transfer syntax (PS3.5 10): how a data set is encoded. The properties say what the reader and the
/// writer must do; an unknown UID is treated as an encapsulated explicit VR little endian syntax, which
/// is what every transfer syntax other than the three uncompressed ones and deflate is (PS3.5 A.4).
/// </summary>
public sealed class TransferSyntax : IEquatable<TransferSyntax>
{
    private TransferSyntax(
        string uid, string name, bool isExplicitVR, bool isLittleEndian, bool isDeflated, bool isEncapsulated, bool isRetired,
        bool isPixelDataReferenced = false)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = isExplicitVR;
        IsLittleEndian = isLittleEndian;
        IsDeflated = isDeflated;
        IsEncapsulated = isEncapsulated;
        IsRetired = isRetired;
        IsPixelDataReferenced = isPixelDataReferenced;
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

    /// <summary>
    /// The pixels are not in the data set: JPIP Referenced syntaxes carry a Pixel Data Provider URL (0028,7FE0)
    /// instead of Pixel Data (PS3.5 A.6, A.7, A.11, A.12); the SMPTE ST 2110 syntaxes describe a DICOM-RTV
    /// metadata flow whose video or audio travels in a separate flow (PS3.5 A.8-A.10).
    /// </summary>
    public bool IsPixelDataReferenced { get; }

    /// <summary>One of the uncompressed syntaxes a data set converts between by re-encoding alone.</summary>
    public bool IsUncompressed => !IsEncapsulated && !IsDeflated && !IsPixelDataReferenced;

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
    public static TransferSyntax JpipReferencedDeflate => Lookup("1.2.840.10008.1.2.4.95");

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
        }

        return Registered.ByUid.TryGetValue(uid, out var registered)
            ? registered
            : new TransferSyntax(uid, string.Empty, true, true, false, true, false);
    }

    /// <summary>Every transfer syntax of the standard's registry (PS3.6 Table A-1), retired ones included, in registry order.</summary>
    public static IReadOnlyList<TransferSyntax> All => Registered.All;

    /// <summary>The registered syntaxes, built from the UID registry on first use.</summary>
    private static class Registered
    {
        public static readonly TransferSyntax[] All = Create();

        public static readonly Dictionary<string, TransferSyntax> ByUid = All.ToDictionary(ts => ts.Uid, StringComparer.Ordinal);

        private static TransferSyntax[] Create()
        {
            TransferSyntax[] known =
            [
                ImplicitVRLittleEndian, ExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian,
                EncapsulatedUncompressedExplicitVRLittleEndian, JpegBaseline8Bit, JpegLosslessSV1, Jpeg2000Lossless, RleLossless,
            ];
            var all = new List<TransferSyntax>();
            foreach (var uid in DicomUid.All)
            {
                if (uid.Type == DicomUidType.TransferSyntax)
                {
                    all.Add(Array.Find(known, ts => ts.Uid == uid.Value) ?? FromRegistry(uid));
                }
            }

            return [.. all];
        }

        private static TransferSyntax FromRegistry(DicomUid uid) => uid.Value switch
        {
            // Papyrus 3 (retired): an implicit VR little endian data set.
            "1.2.840.10008.1.20" => new(uid.Value, uid.Name, false, true, false, false, uid.IsRetired),

            // JPIP Referenced and JPIP HTJ2K Referenced: explicit VR little endian, Pixel Data replaced by a
            // Pixel Data Provider URL (PS3.5 A.6, A.11); their Deflate variants deflate that data set (PS3.5 A.7, A.12).
            "1.2.840.10008.1.2.4.94" or "1.2.840.10008.1.2.4.204" => new(uid.Value, uid.Name, true, true, false, false, uid.IsRetired, true),
            "1.2.840.10008.1.2.4.95" or "1.2.840.10008.1.2.4.205" => new(uid.Value, uid.Name, true, true, true, false, uid.IsRetired, true),

            // SMPTE ST 2110-20/-30: a DICOM-RTV metadata flow; the pixels or samples travel in their own flow (PS3.5 A.8-A.10).
            "1.2.840.10008.1.2.7.1" or "1.2.840.10008.1.2.7.2" or "1.2.840.10008.1.2.7.3" =>
                new(uid.Value, uid.Name, true, true, false, false, uid.IsRetired, true),

            // JPEG, JPEG-LS, JPEG 2000, HTJ2K, JPEG XL, MPEG, HEVC, RLE, Deflated Image Frame: encapsulated
            // pixel data in an explicit VR little endian data set (PS3.5 A.4). The retired RFC 2557 MIME and XML
            // encodings are no data set encodings at all and get this default too.
            _ => new(uid.Value, uid.Name, true, true, false, true, uid.IsRetired),
        };
    }

    /// <summary>The uncompressed syntaxes, in the order a sender usually prefers them.</summary>
    public static IReadOnlyList<TransferSyntax> Uncompressed { get; } =
        [ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian];

    public bool Equals(TransferSyntax? other) => other is not null && string.Equals(Uid, other.Uid, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is TransferSyntax other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Uid);

    public override string ToString() => Name.Length > 0 ? Name : Uid;
}
