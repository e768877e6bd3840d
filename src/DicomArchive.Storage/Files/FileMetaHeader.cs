using System.Buffers;
using DicomArchive.Dicom;

namespace DicomArchive.Storage.Files;

/// <summary>
/// The Part 10 prefix of a stored file, made from the C-STORE context: the preamble, "DICM" and the File Meta
/// Information (PS3.10 7.1: SOP Class/Instance from the command, the presentation context's transfer syntax, our
/// implementation identity, the caller as Source AE Title). The data set bytes received follow it unchanged.
/// </summary>
internal static class FileMetaHeader
{
    public static byte[] Build(StoreContext context)
    {
        var meta = DicomFileMetaInformation.Create(
            context.SopClassUid, context.SopInstanceUid, TransferSyntax.Lookup(context.TransferSyntaxUid), context.CallingAe);
        var output = new ArrayBufferWriter<byte>(256);
        DicomFileWriter.WriteFileHeader(output, meta);
        return output.WrittenSpan.ToArray();
    }
}
