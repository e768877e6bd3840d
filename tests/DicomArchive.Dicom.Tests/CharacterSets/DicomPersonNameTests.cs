namespace DicomArchive.Dicom.Tests.CharacterSets;

public sealed class DicomPersonNameTests
{
    [Test]
    public void Parse_FiveComponents_FillsEachInOrder()
    {
        var name = DicomPersonName.Parse("Adams^John Robert Quincy^B^Rev.^B.A. M.Div.");

        name.FamilyName.Should().Be("Adams");
        name.GivenName.Should().Be("John Robert Quincy");
        name.MiddleName.Should().Be("B");
        name.NamePrefix.Should().Be("Rev.");
        name.NameSuffix.Should().Be("B.A. M.Div.");
        name.Ideographic.IsEmpty.Should().BeTrue();
    }

    [TestCase("Doe^John^^^", "Doe^John")]
    [TestCase("Doe^John==", "Doe^John")]
    [TestCase("Wang^XiaoDong=王^小东=", "Wang^XiaoDong=王^小东")]
    [TestCase("=山田^太郎", "=山田^太郎")]
    [TestCase("^^^^", "")]
    [TestCase("Doe^^Q ", "Doe^^Q")]
    public void ToString_TrailingEmptyComponentsAndGroups_AreTrimmed(string value, string expected)
    {
        DicomPersonName.Parse(value).ToString().Should().Be(expected);
    }

    [Test]
    public void Parse_ThreeGroups_SplitsOnEquals()
    {
        var name = DicomPersonName.Parse("Hong^Gildong=洪^吉洞=홍^길동");

        name.Alphabetic.Should().Be(new DicomPersonNameGroup("Hong", "Gildong"));
        name.Ideographic.Should().Be(new DicomPersonNameGroup("洪", "吉洞"));
        name.Phonetic.Should().Be(new DicomPersonNameGroup("홍", "길동"));
    }

    [Test]
    public void FromComponents_BuildsTheDicomForm()
    {
        var name = DicomPersonName.FromComponents("Buc", "Jérôme", nameSuffix: "Jr");

        name.ToString().Should().Be("Buc^Jérôme^^^Jr");
        name.Should().Be(DicomPersonName.Parse("Buc^Jérôme^^^Jr"));
        new DicomPersonName(default).ToString().Should().BeEmpty();
        default(DicomPersonName).FamilyName.Should().BeEmpty();
    }

    [Test]
    public void TryGetPersonName_MultiValuedLatin1_SelectsTheValue()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 100")
            .AddOrUpdate(DicomTag.PatientName, "Buc^Jérôme", "Äneas^Rüdiger");

        dataset.TryGetBytes(DicomTag.PatientName, out var raw).Should().BeTrue();
        raw.ToArray().Should().Contain((byte)0xE9);
        dataset.TryGetPersonName(DicomTag.PatientName, out var second, 1).Should().BeTrue();
        second.FamilyName.Should().Be("Äneas");
        dataset.TryGetPersonName(DicomTag.PatientName, out _, 2).Should().BeFalse();
        dataset.TryGetPersonName(new DicomTag(0x0008, 0x0090), out _).Should().BeFalse();
    }

    [Test]
    public void TryGetPersonName_ItemWithItsOwnCharacterSet_DecodesWithIt()
    {
        // pydicom chrSQEncoding.dcm: the data set is UTF-8, a sequence item declares ISO 2022 IR 13 and IR 87.
        var item = new DicomDataset
        {
            FallbackCharacterSet = DicomCharacterSet.Utf8,
        };
        item.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO 2022 IR 13", "ISO 2022 IR 87");
        item.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, CharsetTestBytes.Of(
            "\u00d4\u00cf\u00c0\u00de^\u00c0\u00db\u00b3=\u001b$B;3ED\u001b(J^\u001b$BB@O:\u001b(J=\u001b$B$d$^$@\u001b(J^\u001b$B$?$m$&\u001b(J"));

        item.TryGetPersonName(DicomTag.PatientName, out var name).Should().BeTrue();
        name.ToString().Should().Be("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう");

        var inherits = new DicomDataset { FallbackCharacterSet = item.CharacterSet };
        inherits.AddOrUpdate(DicomTag.PatientName, "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎");
        inherits.TryGetPersonName(DicomTag.PatientName, out var inherited).Should().BeTrue();
        inherited.Ideographic.GivenName.Should().Be("太郎");
    }
}
