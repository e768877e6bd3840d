using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using static DicomArchive.Dicom.Tests.IO.Writing.WriterTestHelpers;

namespace DicomArchive.Dicom.Tests.IO.Writing;

/// <summary>Part 10 files (PS3.10 7.1): preamble, prefix, File Meta Information, data set.</summary>
public sealed class DicomFileWriterTests
{
    internal const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    internal const string InstanceUid = "1.2.826.0.1.3680043.2.1125.1.42";

    internal static DicomDataset SampleDataset()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x0016), DicomVR.UI, CtImageStorage);
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x0018), DicomVR.UI, InstanceUid);
        dataset.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "DOE^JOHN");
        dataset.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, "ID1");
        return dataset;
    }

    private static async Task<byte[]> WriteFileAsync(DicomFile file, TransferSyntax? syntax = null)
    {
        using var stream = new MemoryStream();
        await DicomFileWriter.WriteAsync(stream, file, syntax ?? file.TransferSyntax);
        return stream.ToArray();
    }

    /// <summary>Checks the prefix and the group length, and returns the meta elements and the data set offset.</summary>
    private static (Dictionary<uint, byte[]> Meta, int DatasetOffset) ParseHeader(byte[] bytes, byte[]? preamble = null)
    {
        bytes.AsSpan(0, 128).ToArray().Should().Equal(preamble ?? new byte[128]);
        bytes.AsSpan(128, 4).ToArray().Should().Equal("DICM"u8.ToArray());
        bytes.AsSpan(132, 8).ToArray().Should().Equal(Hex("02000000 554C 0400"));
        var groupLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140));
        var end = 144 + groupLength;
        var elements = ParseExplicitLittleEndian(bytes, 144, end);
        elements.Should().OnlyContain(e => e.Tag.Group == 0x0002);
        if (end < bytes.Length && bytes.Length - end >= 2)
        {
            BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(end)).Should().NotBe(0x0002, "the group length must cover the whole group");
        }

        var meta = elements.ToDictionary(e => e.Tag.Value, e => bytes.AsSpan(e.ValueOffset, e.Length).ToArray());
        return (meta, end);
    }

    private static string Uid(byte[] value) => System.Text.Encoding.ASCII.GetString(value).TrimEnd('\0');

    [Test]
    public async Task WriteAsync_MetaFromDataset_RequiredElementsAndCorrectGroupLength()
    {
        var file = new DicomFile(new DicomDataset(), SampleDataset()) { TransferSyntax = TransferSyntax.ExplicitVRLittleEndian };
        var bytes = await WriteFileAsync(file);
        var (meta, datasetOffset) = ParseHeader(bytes);

        meta[0x00020001].Should().Equal(0x00, 0x01);
        Uid(meta[0x00020002]).Should().Be(CtImageStorage);
        Uid(meta[0x00020003]).Should().Be(InstanceUid);
        Uid(meta[0x00020010]).Should().Be(TransferSyntax.ExplicitVRLittleEndian.Uid);
        Uid(meta[0x00020012]).Should().Be(DicomImplementation.ClassUid);
        System.Text.Encoding.ASCII.GetString(meta[0x00020013]).TrimEnd(' ').Should().Be(DicomImplementation.VersionName);
        meta.Values.Should().OnlyContain(v => v.Length % 2 == 0);

        bytes.AsSpan(datasetOffset).ToArray().Should().Equal(Encode(file.Dataset, TransferSyntax.ExplicitVRLittleEndian));
    }

    [Test]
    public async Task WriteAsync_OtherSyntax_MetaNamesTheSyntaxWritten()
    {
        var file = new DicomFile(DicomFileMetaInformation.Create(CtImageStorage, InstanceUid, TransferSyntax.ExplicitVRLittleEndian), SampleDataset());
        var bytes = await WriteFileAsync(file, TransferSyntax.ImplicitVRLittleEndian);
        var (meta, datasetOffset) = ParseHeader(bytes);
        Uid(meta[0x00020010]).Should().Be(TransferSyntax.ImplicitVRLittleEndian.Uid);
        bytes.AsSpan(datasetOffset).ToArray().Should().Equal(Encode(file.Dataset, TransferSyntax.ImplicitVRLittleEndian));
    }

    [Test]
    public async Task WriteAsync_Deflated_MetaPlainDataSetDeflated()
    {
        var file = new DicomFile(new DicomDataset(), SampleDataset()) { TransferSyntax = TransferSyntax.DeflatedExplicitVRLittleEndian };
        var bytes = await WriteFileAsync(file);
        var (meta, datasetOffset) = ParseHeader(bytes);
        Uid(meta[0x00020010]).Should().Be(TransferSyntax.DeflatedExplicitVRLittleEndian.Uid);
        using var inflater = new DeflateStream(new MemoryStream(bytes, datasetOffset, bytes.Length - datasetOffset), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        await inflater.CopyToAsync(inflated);
        inflated.ToArray().Should().Equal(Encode(file.Dataset, TransferSyntax.ExplicitVRLittleEndian));
    }

    [Test]
    public async Task WriteAsync_FileMetaKeptAndCompleted_PreambleKept()
    {
        var meta = new DicomDataset();
        meta.AddOrUpdate(DicomTag.SourceApplicationEntityTitle, DicomVR.AE, "MODALITY");
        meta.AddOrUpdate(DicomTag.FileMetaInformationGroupLength, DicomVR.UL, 12345L);
        var preamble = new byte[128];
        preamble.AsSpan().Fill(0x42);
        var file = new DicomFile(meta, SampleDataset()) { Preamble = preamble, HasPreamble = true };

        var bytes = await WriteFileAsync(file);
        var (parsed, _) = ParseHeader(bytes, preamble);
        System.Text.Encoding.ASCII.GetString(parsed[0x00020016]).Should().Be("MODALITY");
        Uid(parsed[0x00020002]).Should().Be(CtImageStorage);
    }

    [Test]
    public async Task WriteAsync_GroupTwoElementsInDataset_NotWrittenTwice()
    {
        var dataset = SampleDataset();
        dataset.AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, "1.2.3");
        var file = new DicomFile(new DicomDataset(), dataset);
        var bytes = await WriteFileAsync(file);
        var (_, datasetOffset) = ParseHeader(bytes);
        BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(datasetOffset)).Should().Be(0x0008);
    }

    [Test]
    public async Task WriteAsync_NoSopUids_ArgumentException()
    {
        var file = new DicomFile(new DicomDataset(), new DicomDataset());
        var act = () => WriteFileAsync(file);
        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*(0002,0002)*");
    }

    [Test]
    public void WriteFileHeader_CreatedMeta_PreambleDicmAndMetaOnly()
    {
        var meta = DicomFileMetaInformation.Create(CtImageStorage, InstanceUid, TransferSyntax.JpegBaseline8Bit, "STORESCU");
        var output = new ArrayBufferWriter<byte>();
        DicomFileWriter.WriteFileHeader(output, meta);
        var bytes = output.WrittenSpan.ToArray();
        var (parsed, datasetOffset) = ParseHeader(bytes);
        datasetOffset.Should().Be(bytes.Length);
        Uid(parsed[0x00020010]).Should().Be(TransferSyntax.JpegBaseline8Bit.Uid);
        System.Text.Encoding.ASCII.GetString(parsed[0x00020016]).Should().Be("STORESCU");
        parsed.Keys.Should().Equal(0x00020001u, 0x00020002u, 0x00020003u, 0x00020010u, 0x00020012u, 0x00020013u, 0x00020016u);
    }

    [Test]
    public async Task WriteFileHeaderAsync_SameBytesAsSynchronous()
    {
        var meta = DicomFileMetaInformation.Create(CtImageStorage, InstanceUid, TransferSyntax.ExplicitVRLittleEndian);
        var output = new ArrayBufferWriter<byte>();
        DicomFileWriter.WriteFileHeader(output, meta);
        using var stream = new MemoryStream();
        await DicomFileWriter.WriteFileHeaderAsync(stream, meta);
        stream.ToArray().Should().Equal(output.WrittenSpan.ToArray());
    }

    [Test]
    public void WriteFileHeader_ElementOutsideGroupTwo_ArgumentException()
    {
        var meta = DicomFileMetaInformation.Create(CtImageStorage, InstanceUid, TransferSyntax.ExplicitVRLittleEndian);
        meta.AddOrUpdate(DicomTag.PatientID, "X");
        var act = () => DicomFileWriter.WriteFileHeader(new ArrayBufferWriter<byte>(), meta);
        act.Should().Throw<ArgumentException>();
    }

    [Test]
    public void WriteFileHeader_WrongPreambleLength_ArgumentException()
    {
        var meta = DicomFileMetaInformation.Create(CtImageStorage, InstanceUid, TransferSyntax.ExplicitVRLittleEndian);
        var act = () => DicomFileWriter.WriteFileHeader(new ArrayBufferWriter<byte>(), meta, new byte[10]);
        act.Should().Throw<ArgumentException>();
    }

    [Test]
    public async Task SaveAsync_WritesFileAndLeavesNoTemporaryFile()
    {
        var directory = Directory.CreateTempSubdirectory("writer-save-");
        try
        {
            var path = Path.Combine(directory.FullName, "a.dcm");
            var file = new DicomFile(new DicomDataset(), SampleDataset());
            await DicomFileWriter.SaveAsync(path, file);
            await DicomFileWriter.SaveAsync(path, file, TransferSyntax.ExplicitVRBigEndian);
            directory.GetFiles().Select(f => f.Name).Should().Equal("a.dcm");
            var (meta, _) = ParseHeader(await File.ReadAllBytesAsync(path));
            Uid(meta[0x00020010]).Should().Be(TransferSyntax.ExplicitVRBigEndian.Uid);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
