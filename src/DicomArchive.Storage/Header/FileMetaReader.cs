using System.Buffers.Binary;
using DicomArchive.Dicom;

namespace DicomArchive.Storage.Header;

/// <summary>Reads the File Meta Information of a stored Part 10 file (PS3.10 7.1) and where its data set starts.</summary>
internal static class FileMetaReader
{
    private const int PreambleLength = 128;
    private const int MaxGroupLength = 64 * 1024;

    private static readonly HashSet<uint> MetaTags =
    [
        DicomTag.MediaStorageSOPClassUID.Value,
        new DicomTag(0x0002, 0x0003).Value, // Media Storage SOP Instance UID
        new DicomTag(0x0002, 0x0010).Value, // Transfer Syntax UID
        DicomTag.SourceApplicationEntityTitle.Value,
    ];

    /// <summary>The meta elements and the offset of the first data set byte.</summary>
    /// <exception cref="DicomContentException">No preamble and DICM prefix, or a malformed meta group.</exception>
    public static (DicomDataset Meta, long DatasetOffset) Read(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[PreambleLength + 4 + 12];
        stream.Seek(0, SeekOrigin.Begin);
        if (stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length ||
            !prefix.Slice(PreambleLength, 4).SequenceEqual("DICM"u8))
        {
            throw new DicomContentException("Not a Part 10 file (no DICM prefix)", PreambleLength);
        }

        // PS3.10 7.1: (0002,0000) UL File Meta Information Group Length comes first.
        var groupLengthElement = prefix[(PreambleLength + 4)..];
        if (BinaryPrimitives.ReadUInt32LittleEndian(groupLengthElement) != 0x00000002 || !groupLengthElement.Slice(4, 2).SequenceEqual("UL"u8))
        {
            throw new DicomContentException("The meta information has no group length", PreambleLength + 4);
        }

        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(groupLengthElement[8..]);
        if (groupLength > MaxGroupLength)
        {
            throw new DicomContentException("The meta information group length is implausible", PreambleLength + 12);
        }

        var group = new byte[groupLength];
        if (stream.ReadAtLeast(group, group.Length, throwOnEndOfStream: false) < group.Length)
        {
            throw new DicomContentException("The meta information is truncated", stream.Position);
        }

        using var groupStream = new MemoryStream(group, writable: false);
        var meta = InstanceHeaderReader.Read(groupStream, 0, TransferSyntax.ExplicitVRLittleEndian, MetaTags);
        return (meta, prefix.Length + groupLength);
    }
}
