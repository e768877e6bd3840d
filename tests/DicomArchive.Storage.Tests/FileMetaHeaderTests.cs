using System.Buffers;
using DicomArchive.Dicom;
using DicomArchive.Storage.Files;

namespace DicomArchive.Storage.Tests;

public sealed class FileMetaHeaderTests
{
    [TestCase("1.2.3")]
    [TestCase("1.2.34")]
    [TestCase("1.2.840.113619.2.55.3.604688119.969.1268071029.320.1234567890.12345")]
    [TestCase("x")]
    [TestCase("1.2.Ä")]
    public void Build_EachInstanceOfASeries_SameBytesAsEncodingItsOwnMeta(string lastUid)
    {
        // Several instances with one key (class, syntax, AE, UID length): the second and third reuse the first's template.
        string[] uids = [lastUid.Length > 1 ? lastUid[..^1] + "7" : "7", lastUid.Length > 1 ? lastUid[..^1] + "8" : "8", lastUid];
        foreach (var uid in uids)
        {
            var context = StoreFixture.Context(uid) with { CallingAe = "MODALITY" };

            FileMetaHeader.Build(context).Should().Equal(Encoded(context), uid);
        }
    }

    private static byte[] Encoded(StoreContext context)
    {
        var meta = DicomFileMetaInformation.Create(
            context.SopClassUid, context.SopInstanceUid, TransferSyntax.Lookup(context.TransferSyntaxUid), context.CallingAe);
        var output = new ArrayBufferWriter<byte>(256);
        DicomFileWriter.WriteFileHeader(output, meta);
        return output.WrittenSpan.ToArray();
    }
}
