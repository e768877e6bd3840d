using DicomArchive.Dicom;
using DicomArchive.Dicom.Dump;

namespace DicomArchive.Service.Tests.Dump;

public sealed class DicomTextDumperTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Test]
    public void ToText_StringElement_DcmdumpLayout()
    {
        var dataset = new DicomDataset().AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "Yamada^Tarou");

        var line = Lines(DicomTextDumper.ToText(dataset)).Single();

        line.Should().Be("(0010,0010) PN [Yamada^Tarou]                           #  12, 1 PatientName");
    }

    [Test]
    public void ToText_LongValue_OneSpaceBeforeHash()
    {
        var uid = "1.2.777.777.77.7.7777.7777.20030903150023.123456";
        var dataset = new DicomDataset().AddOrUpdate(new DicomTag(0x0008, 0x0018), DicomVR.UI, uid);

        Lines(DicomTextDumper.ToText(dataset)).Single().Should().StartWith($"(0008,0018) UI [{uid}] #  48, 1 ");
    }

    [Test]
    public void ToText_MultiValuedAndEmpty_ValueMultiplicityAndNoValueText()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0008, 0x0008), DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL")
            .AddOrUpdate(new DicomTag(0x0008, 0x0050), DicomVR.SH, string.Empty);

        var lines = Lines(DicomTextDumper.ToText(dataset));

        lines[0].Should().StartWith("(0008,0008) CS [ORIGINAL\\PRIMARY\\AXIAL]").And.Contain("#  22, 3 ");
        lines[1].Should().StartWith("(0008,0050) SH (no value available)").And.Contain("#   0, 0 ");
    }

    [Test]
    public void ToText_BinaryNumbers_DecimalValuesAndTagsAsPairs()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0028, 0x0009), new DicomTag(0x0054, 0x0010), new DicomTag(0x0054, 0x0020))
            .AddOrUpdate(new DicomTag(0x0028, 0x0010), DicomVR.US, 512)
            .AddOrUpdate(new DicomTag(0x0028, 0x0106), DicomVR.SS, -5, 7)
            .AddOrUpdate(new DicomTag(0x0018, 0x9306), DicomVR.FD, 0.625);

        var lines = Lines(DicomTextDumper.ToText(dataset));

        lines[0].Should().StartWith("(0018,9306) FD 0.625 ");
        lines[1].Should().StartWith("(0028,0009) AT (0054,0010)\\(0054,0020) ").And.Contain("#   8, 2 ");
        lines[2].Should().StartWith("(0028,0010) US 512 ");
        lines[3].Should().StartWith("(0028,0106) SS -5\\7 ").And.Contain("#   4, 2 ");
    }

    [Test]
    public void ToText_LargeBinary_Abbreviated()
    {
        var bytes = new byte[1000];
        var dataset = new DicomDataset().AddOrUpdate(new DicomTag(0x0009, 0x1010), DicomVR.OB, bytes);

        var line = Lines(DicomTextDumper.ToText(dataset)).Single();

        line.Should().StartWith("(0009,1010) OB 00\\00\\").And.Contain("...").And.Contain("# 1000, 1 ");
        line.Length.Should().BeLessThan(120);
    }

    [Test]
    public void ToText_Sequence_ItemsIndentedWithDelimiters()
    {
        var item = new DicomDataset().AddOrUpdate(DicomTag.PatientID, DicomVR.LO, "ABCD1234");
        var dataset = new DicomDataset().AddOrUpdate(new DicomTag(0x0010, 0x1002), item);

        var lines = Lines(DicomTextDumper.ToText(dataset));

        lines.Should().HaveCount(5);
        lines[0].Should().StartWith("(0010,1002) SQ (Sequence with explicit length #=1)");
        lines[1].Should().StartWith("  (fffe,e000) na (Item #=1)");
        lines[2].Should().StartWith("    (0010,0020) LO [ABCD1234]");
        lines[3].Should().StartWith("  (fffe,e00d) na (ItemDelimitationItem)");
        lines[4].Should().StartWith("(fffe,e0dd) na (SequenceDelimitationItem)");
    }

    [Test]
    public void ToText_EncapsulatedPixelData_PixelSequenceWithItems()
    {
        var fragments = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty,
            [new DicomFragment(new byte[] { 0xFF, 0x4F, 0xFF, 0x51 })]);

        var lines = Lines(DicomTextDumper.ToText(new DicomDataset([fragments])));

        lines[0].Should().StartWith("(7fe0,0010) OB (PixelSequence #=2)").And.Contain("# u/l, 1 PixelData");
        lines[1].Should().StartWith("  (fffe,e000) pi (no value available)");
        lines[2].Should().StartWith("  (fffe,e000) pi ff\\4f\\ff\\51 ").And.Contain("#   4, 1 Item");
        lines[3].Should().StartWith("(fffe,e0dd) na (SequenceDelimitationItem)");
    }

    [Test]
    public void ToText_File_MetaHeaderThenDataSet()
    {
        var meta = new DicomDataset().AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, "1.2.840.10008.1.2");
        var dataset = new DicomDataset().AddOrUpdate(DicomTag.PatientID, DicomVR.LO, "X");
        var file = new DicomFile(meta, dataset) { TransferSyntax = TransferSyntax.ImplicitVRLittleEndian };

        var lines = Lines(DicomTextDumper.ToText(file));

        lines.Should().Equal(
            "# Dicom-File-Format",
            "# Dicom-Meta-Information-Header",
            "# Used TransferSyntax: Explicit VR Little Endian",
            "(0002,0010) UI [1.2.840.10008.1.2]                      #  18, 1 TransferSyntaxUID",
            "# Dicom-Data-Set",
            "# Used TransferSyntax: Implicit VR Little Endian",
            "(0010,0020) LO [X]                                      #   2, 1 PatientID");
    }

    [Test]
    public void ToText_FileWithoutMeta_DataSetOnly()
    {
        var file = new DicomFile(new DicomDataset(), new DicomDataset());

        Lines(DicomTextDumper.ToText(file)).Should().Equal("# Dicom-Data-Set", "# Used TransferSyntax: Explicit VR Little Endian");
    }

    [Test]
    public void ToText_ValueLeftInSource_SaysNotLoaded()
    {
        var element = new DicomValueElement(DicomTag.PixelData, DicomVR.OW, new DicomBulkDataReference("/x.dcm", 100, 2048, false));

        Lines(DicomTextDumper.ToText(new DicomDataset([element]))).Single()
            .Should().StartWith("(7fe0,0010) OW (not loaded: 2048 bytes at offset 100)").And.Contain("# 2048, 1 PixelData");
    }
}
