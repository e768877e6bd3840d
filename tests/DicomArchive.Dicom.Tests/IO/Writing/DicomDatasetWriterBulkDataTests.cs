using static DicomArchive.Dicom.Tests.IO.Writing.WriterTestHelpers;

namespace DicomArchive.Dicom.Tests.IO.Writing;

/// <summary>Values left in their source file are streamed from it, never loaded whole.</summary>
public sealed class DicomDatasetWriterBulkDataTests
{
    private string path = null!;
    private byte[] value = null!;
    private const int Offset = 1001;

    [SetUp]
    public void CreateSource()
    {
        path = Path.Combine(Path.GetTempPath(), "writer-bulk-" + Guid.NewGuid().ToString("N") + ".bin");
        value = new byte[250_000];
        Random.Shared.NextBytes(value);
        var file = new byte[Offset + value.Length + 77];
        value.CopyTo(file, Offset);
        File.WriteAllBytes(path, file);
    }

    [TearDown]
    public void DeleteSource() => File.Delete(path);

    private DicomDataset WithReference(long length, bool bigEndian, DicomVR vr = DicomVR.OW) =>
        Dataset(new DicomValueElement(DicomTag.PixelData, vr, new DicomBulkDataReference(path, Offset, length, bigEndian)));

    private static byte[] Swap16(ReadOnlySpan<byte> source)
    {
        var result = source.ToArray();
        for (var i = 0; i + 1 < result.Length; i += 2)
        {
            (result[i], result[i + 1]) = (result[i + 1], result[i]);
        }

        return result;
    }

    [Test]
    public async Task WriteAsync_BulkReferenceLittleEndianTarget_CopiesTheRange()
    {
        var bytes = await EncodeAsync(WithReference(value.Length, false), TransferSyntax.ExplicitVRLittleEndian);
        bytes.AsSpan(0, 12).ToArray().Should().Equal(Hex("E07F1000 4F57 0000").Concat(BitConverter.GetBytes(value.Length)));
        bytes.AsSpan(12).SequenceEqual(value).Should().BeTrue();
    }

    [Test]
    public void Write_BulkReferenceLittleEndianToBigEndian_Swapped()
    {
        var bytes = Encode(WithReference(value.Length, false), TransferSyntax.ExplicitVRBigEndian);
        bytes.AsSpan(12).SequenceEqual(Swap16(value)).Should().BeTrue();
    }

    [Test]
    public async Task WriteAsync_BulkReferenceBigEndianToLittleEndian_Swapped()
    {
        var bytes = await EncodeAsync(WithReference(value.Length, true), TransferSyntax.ImplicitVRLittleEndian);
        bytes.AsSpan(8).SequenceEqual(Swap16(value)).Should().BeTrue();
    }

    [Test]
    public void Write_BulkReferenceBigEndianToBigEndian_CopiedAsIs()
    {
        var bytes = Encode(WithReference(value.Length, true), TransferSyntax.ExplicitVRBigEndian);
        bytes.AsSpan(12).SequenceEqual(value).Should().BeTrue();
    }

    [Test]
    public void Write_BulkReferenceOddLength_Padded()
    {
        var bytes = Encode(WithReference(5, false, DicomVR.OB), TransferSyntax.ExplicitVRLittleEndian);
        bytes.AsSpan(8, 4).ToArray().Should().Equal(BitConverter.GetBytes(6));
        bytes.AsSpan(12).ToArray().Should().Equal(value.AsSpan(0, 5).ToArray().Append((byte)0));
    }

    [Test]
    public void Write_BulkFragment_StreamedIntoItem()
    {
        var fragments = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty,
            [new DicomFragment(new DicomBulkDataReference(path, Offset, 1000, false))]);
        var bytes = Encode(Dataset(fragments), TransferSyntax.JpegBaseline8Bit);
        bytes.AsSpan(20, 8).ToArray().Should().Equal(Hex("FEFF00E0 E8030000"));
        bytes.AsSpan(28, 1000).SequenceEqual(value.AsSpan(0, 1000)).Should().BeTrue();
    }

    [Test]
    public void Write_BulkReferenceWithoutSourcePath_InvalidOperation()
    {
        var dataset = Dataset(new DicomValueElement(DicomTag.PixelData, DicomVR.OW, new DicomBulkDataReference(null, 0, 10, false)));
        var act = () => Encode(dataset, TransferSyntax.ExplicitVRLittleEndian);
        act.Should().Throw<InvalidOperationException>().WithMessage("*(7FE0,0010)*");
    }
}
