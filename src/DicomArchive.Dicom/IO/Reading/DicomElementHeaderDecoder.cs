using System.Buffers.Binary;

namespace DicomArchive.Dicom;

/// <summary>
/// Decodes data element headers from bytes (PS3.5 7.1). A header is one of four layouts:
/// <code>
/// Implicit VR (PS3.5 7.1.3), and items/delimiters in any syntax (PS3.5 7.5):
///   | group (2) | element (2) | length (4) |
/// Explicit VR, 16-bit length (PS3.5 7.1.2, Table 7.1-2):
///   | group (2) | element (2) | VR (2) | length (2) |
/// Explicit VR, 32-bit length (OB OD OF OL OV OW SQ SV UC UN UR UT UV, Table 7.1-1):
///   | group (2) | element (2) | VR (2) | 0000 (2) | length (4) |
/// </code>
/// Numbers are little endian except in Explicit VR Big Endian (PS3.5 7.3); the VR is two ASCII bytes in both.
/// </summary>
public static class DicomElementHeaderDecoder
{
    /// <summary>The longest header: explicit VR with a 32-bit length.</summary>
    public const int MaxHeaderLength = 12;

    /// <summary>
    /// Decodes the header at the start of <paramref name="source"/>. Returns false, consuming nothing, when the
    /// source ends inside the header.
    /// </summary>
    /// <exception cref="DicomContentException">The bytes are not a valid header (an unknown explicit VR);
    /// its offset is relative to the start of <paramref name="source"/>.</exception>
    public static bool TryReadElementHeader(
        ReadOnlySpan<byte> source, bool explicitVR, bool littleEndian, out DicomElementHeader header, out int bytesConsumed)
    {
        var status = DecodeElementHeader(source, explicitVR, littleEndian, out header, out bytesConsumed);
        if (status == ElementHeaderStatus.NeedMoreData)
        {
            return false;
        }

        DicomReaderErrors.ThrowIfFailed(status, source, 0);
        return true;
    }

    /// <summary>Decodes the header at the start of <paramref name="source"/>, which must hold all of it.</summary>
    /// <exception cref="DicomContentException">The source ends inside the header, or the header is invalid.</exception>
    public static DicomElementHeader ReadElementHeader(ReadOnlySpan<byte> source, bool explicitVR, bool littleEndian, out int bytesConsumed)
    {
        var status = DecodeElementHeader(source, explicitVR, littleEndian, out var header, out bytesConsumed);
        DicomReaderErrors.ThrowIfFailed(status, source, 0);
        return header;
    }

    /// <summary>The one decoder behind both public methods and the stream reader. Consumes nothing unless it returns Ok.</summary>
    internal static ElementHeaderStatus DecodeElementHeader(
        ReadOnlySpan<byte> source, bool explicitVR, bool littleEndian, out DicomElementHeader header, out int bytesConsumed)
    {
        header = default;
        bytesConsumed = 0;
        if (source.Length < 8)
        {
            return ElementHeaderStatus.NeedMoreData;
        }

        var group = littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(source) : BinaryPrimitives.ReadUInt16BigEndian(source);
        var element = littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(source[2..]) : BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        var tag = new DicomTag(group, element);

        // PS3.5 7.5: items and delimitation items have no VR in any transfer syntax; PS3.5 7.1.3: nor has implicit VR.
        if (!explicitVR || group == 0xFFFE)
        {
            var length = littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(source[4..]) : BinaryPrimitives.ReadUInt32BigEndian(source[4..]);
            header = new DicomElementHeader(tag, DicomVR.None, length);
            bytesConsumed = 8;
            return ElementHeaderStatus.Ok;
        }

        if (!DicomVRInfo.TryParse(source[4], source[5], out var vr))
        {
            return ElementHeaderStatus.UnknownVR;
        }

        if (DicomVRInfo.HasLongExplicitLength(vr))
        {
            // PS3.5 7.1.2: two reserved bytes (0000H, not checked: their value is to be ignored), then a 32-bit length.
            if (source.Length < 12)
            {
                return ElementHeaderStatus.NeedMoreData;
            }

            var length = littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(source[8..]) : BinaryPrimitives.ReadUInt32BigEndian(source[8..]);
            header = new DicomElementHeader(tag, vr, length);
            bytesConsumed = 12;
            return ElementHeaderStatus.Ok;
        }

        var shortLength = littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(source[6..]) : BinaryPrimitives.ReadUInt16BigEndian(source[6..]);
        header = new DicomElementHeader(tag, vr, shortLength);
        bytesConsumed = 8;
        return ElementHeaderStatus.Ok;
    }
}
