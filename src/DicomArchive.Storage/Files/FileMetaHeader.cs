using System.Buffers.Binary;
using System.Text;
using DicomArchive.Dicom;

namespace DicomArchive.Storage.Files;

/// <summary>
/// Writes the Part 10 prefix of a stored file from the C-STORE context: the preamble, "DICM" and the File Meta
/// Information group (PS3.10 7.1), always explicit VR little endian. The data set bytes received follow it unchanged.
/// </summary>
internal static class FileMetaHeader
{
    private const int PreambleLength = 128;

    /// <summary>The encoded prefix: 128 zero bytes, "DICM", then (0002,0000) .. (0002,0016).</summary>
    public static byte[] Build(StoreContext context)
    {
        using var group = new MemoryStream(256);
        // PS3.10 7.1: File Meta Information Version is OB 00H 01H.
        WriteElement(group, 0x0001, DicomVR.OB, [0x00, 0x01]);
        WriteElement(group, 0x0002, DicomVR.UI, Text(context.SopClassUid, 0));
        WriteElement(group, 0x0003, DicomVR.UI, Text(context.SopInstanceUid, 0));
        WriteElement(group, 0x0010, DicomVR.UI, Text(context.TransferSyntaxUid, 0));
        WriteElement(group, 0x0012, DicomVR.UI, Text(DicomImplementation.ClassUid, 0));
        WriteElement(group, 0x0013, DicomVR.SH, Text(DicomImplementation.VersionName, (byte)' '));
        var sourceAe = context.CallingAe.Trim();
        if (sourceAe.Length > 0)
        {
            // PS3.10 7.1: Source Application Entity Title, the AE that sent the instance to us.
            WriteElement(group, 0x0016, DicomVR.AE, Text(sourceAe, (byte)' '));
        }

        var groupBytes = group.ToArray();
        var result = new byte[PreambleLength + 4 + 12 + groupBytes.Length];
        "DICM"u8.CopyTo(result.AsSpan(PreambleLength));
        // (0002,0000) UL File Meta Information Group Length: the bytes after this element up to the data set.
        var span = result.AsSpan(PreambleLength + 4);
        BinaryPrimitives.WriteUInt16LittleEndian(span, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], 0x0000);
        "UL"u8.CopyTo(span[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)groupBytes.Length);
        groupBytes.CopyTo(span[12..]);
        return result;
    }

    private static byte[] Text(string value, byte padding)
    {
        var length = Encoding.ASCII.GetByteCount(value);
        var bytes = new byte[length + (length & 1)];
        Encoding.ASCII.GetBytes(value, bytes);
        if ((length & 1) == 1)
        {
            bytes[^1] = padding;
        }

        return bytes;
    }

    private static void WriteElement(Stream stream, ushort element, DicomVR vr, ReadOnlySpan<byte> value)
    {
        // PS3.5 7.1.2: explicit VR; OB and UN-like VRs have 2 reserved bytes and a 32-bit length.
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        header[4] = (byte)((ushort)vr >> 8);
        header[5] = (byte)vr;
        int headerLength;
        if (DicomVRInfo.HasLongExplicitLength(vr))
        {
            header[6] = 0;
            header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)value.Length);
            headerLength = 12;
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], checked((ushort)value.Length));
            headerLength = 8;
        }

        stream.Write(header[..headerLength]);
        stream.Write(value);
    }
}
