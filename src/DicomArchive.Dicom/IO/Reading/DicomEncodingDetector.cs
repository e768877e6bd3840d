using System.Buffers.Binary;

namespace DicomArchive.Dicom;

/// <summary>
/// Works out how a source is encoded when it does not say: a file without preamble, a meta header without a
/// transfer syntax, or a data set whose first element contradicts the transfer syntax it claims.
/// </summary>
internal static class DicomEncodingDetector
{
    /// <summary>PS3.10 7.1: the 128-byte preamble is followed by these four bytes.</summary>
    public static ReadOnlySpan<byte> Prefix => "DICM"u8;

    public const int PreambleLength = 128;

    /// <summary>True when the bytes start with a group 0002 element in explicit VR little endian (a meta header, PS3.10 7.1).</summary>
    public static bool StartsWithMetaElement(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 8 && bytes[0] == 0x02 && bytes[1] == 0x00 && DicomVRInfo.TryParse(bytes[4], bytes[5], out _);

    /// <summary>
    /// Guesses the encoding of a data set from its first element header: explicit when bytes 4-5 are a VR of
    /// PS3.5 Table 6.2-1; big endian when the group number read big endian is the smaller one (data sets start
    /// with low groups such as 0008). Implicit VR big endian does not exist (PS3.5 A), so implicit is little endian.
    /// </summary>
    public static TransferSyntax DetectSyntax(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8)
        {
            return TransferSyntax.ImplicitVRLittleEndian;
        }

        if (!DicomVRInfo.TryParse(bytes[4], bytes[5], out _))
        {
            return TransferSyntax.ImplicitVRLittleEndian;
        }

        var littleEndianGroup = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        var bigEndianGroup = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        return bigEndianGroup < littleEndianGroup ? TransferSyntax.ExplicitVRBigEndian : TransferSyntax.ExplicitVRLittleEndian;
    }

    /// <summary>
    /// Whether the first element of a data set is in explicit VR, trusting the bytes over the declared syntax
    /// when they disagree (a writer that labelled an implicit data set explicit, or the reverse).
    /// </summary>
    public static bool FirstElementIsExplicit(ReadOnlySpan<byte> bytes, bool declaredExplicit)
    {
        if (bytes.Length < 8 || (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE))
        {
            return declaredExplicit;
        }

        return DicomVRInfo.TryParse(bytes[4], bytes[5], out _);
    }
}
