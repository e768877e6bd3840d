using System.Buffers.Binary;
using System.Text;

namespace DicomArchive.Dicom.Network.Client;

/// <summary>
/// The few File Meta Information values (PS3.10 7.1) a C-STORE needs, read from the start of a Part 10 stream, which
/// is left positioned on the first byte of the data set. Group 0002 is always explicit VR little endian (PS3.10 7.1).
/// </summary>
internal sealed record Part10Header(string SopClassUid, string SopInstanceUid, string TransferSyntaxUid)
{
    const int MaximumElementLength = 64 * 1024;

    /// <exception cref="DicomContentException">The stream is not a Part 10 file or its meta header is malformed.</exception>
    public static async Task<Part10Header> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] preamble = new byte[132];
        await ReadExactlyAsync(stream, preamble, 0, cancellationToken).ConfigureAwait(false);
        if (!preamble.AsSpan(128, 4).SequenceEqual("DICM"u8))
        {
            throw new DicomContentException("No DICM prefix: not a Part 10 file", 128);
        }

        string? sopClass = null, sopInstance = null, transferSyntax = null;
        long offset = 132;
        long end = long.MaxValue;
        byte[] header = new byte[12];
        while (offset < end)
        {
            if (end == long.MaxValue && stream.CanSeek)
            {
                // No group length seen: peek the next tag and stop at the first one outside group 0002.
                int peeked = await stream.ReadAtLeastAsync(header.AsMemory(0, 2), 2, throwOnEndOfStream: false, cancellationToken)
                    .ConfigureAwait(false);
                stream.Seek(-peeked, SeekOrigin.Current);
                if (peeked < 2 || BinaryPrimitives.ReadUInt16LittleEndian(header) != 0x0002)
                {
                    break;
                }
            }

            await ReadExactlyAsync(stream, header.AsMemory(0, 8), offset, cancellationToken).ConfigureAwait(false);
            ushort group = BinaryPrimitives.ReadUInt16LittleEndian(header);
            ushort element = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(2));
            if (group != 0x0002)
            {
                throw new DicomContentException($"Element ({group:X4},{element:X4}) inside the File Meta Information", offset);
            }

            string vr = Encoding.ASCII.GetString(header, 4, 2);
            uint length;
            int headerLength = 8;
            if (vr is "OB" or "OW" or "OF" or "SQ" or "UT" or "UN" or "UC" or "UR" or "OD" or "OL" or "OV" or "SV" or "UV")
            {
                await ReadExactlyAsync(stream, header.AsMemory(8, 4), offset + 8, cancellationToken).ConfigureAwait(false);
                length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
                headerLength = 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(6));
            }

            if (length > MaximumElementLength)
            {
                throw new DicomContentException($"File Meta Information element length {length} is too large", offset);
            }

            byte[] value = new byte[length];
            await ReadExactlyAsync(stream, value, offset + headerLength, cancellationToken).ConfigureAwait(false);
            switch (element)
            {
                case 0x0000 when length == 4:
                    end = offset + headerLength + 4 + BinaryPrimitives.ReadUInt32LittleEndian(value);
                    break;
                case 0x0002: sopClass = Text(value); break;
                case 0x0003: sopInstance = Text(value); break;
                case 0x0010: transferSyntax = Text(value); break;
                default: break;
            }

            offset += headerLength + length;
        }

        if (sopClass is null || sopInstance is null || transferSyntax is null)
        {
            throw new DicomContentException("File Meta Information lacks (0002,0002), (0002,0003) or (0002,0010)", 132);
        }

        return new Part10Header(sopClass, sopInstance, transferSyntax);
    }

    static string Text(byte[] value) => Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');

    static async Task ReadExactlyAsync(Stream stream, Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException ex)
        {
            throw new DicomContentException("The file ends inside its File Meta Information", offset, ex);
        }
    }
}
