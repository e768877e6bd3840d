namespace DicomArchive.Dicom.Tests;

public sealed class DicomTagTests
{
    [TestCase(0x0010, 0x0010, "(0010,0010)")]
    [TestCase(0x7FE0, 0x0010, "(7FE0,0010)")]
    [TestCase(0xFFFE, 0xE000, "(FFFE,E000)")]
    public void ToString_FormatsAsStandardWritesIt(int group, int element, string expected)
    {
        new DicomTag((ushort)group, (ushort)element).ToString().Should().Be(expected);
    }

    [TestCase("(0010,0010)", 0x00100010u)]
    [TestCase("0010,0020", 0x00100020u)]
    [TestCase("7fe00010", 0x7FE00010u)]
    public void TryParse_AcceptsTheCommonForms(string text, uint expected)
    {
        DicomTag.TryParse(text, out var tag).Should().BeTrue();
        tag.Value.Should().Be(expected);
    }

    [Test]
    public void Private_OddGroupsArePrivate_AndCreatorsAreElements10ToFF()
    {
        new DicomTag(0x0009, 0x0010).IsPrivateCreator.Should().BeTrue();
        new DicomTag(0x0009, 0x1001).IsPrivate.Should().BeTrue();
        new DicomTag(0x0009, 0x1001).IsPrivateCreator.Should().BeFalse();
        new DicomTag(0x0009, 0x1001).PrivateCreatorTag.Should().Be(new DicomTag(0x0009, 0x0010));
        new DicomTag(0x0008, 0x0010).IsPrivate.Should().BeFalse();
    }

    [Test]
    public void CompareTo_OrdersByGroupThenElement()
    {
        (new DicomTag(0x0008, 0xFFFF) < new DicomTag(0x0010, 0x0000)).Should().BeTrue();
    }
}
