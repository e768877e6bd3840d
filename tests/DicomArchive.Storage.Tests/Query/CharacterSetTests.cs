using DicomArchive.Dicom;
using DicomArchive.Storage.Query;

namespace DicomArchive.Storage.Tests.Query;

/// <summary>The query's Specific Character Set is honoured; names stored in one character set match queries in another.</summary>
public sealed class CharacterSetTests : QueryTestBase
{
    [Test]
    public async Task FindAsync_Latin1Query_MatchesLatin1Name()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 100");
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, "PATIENT");
        identifier.AddOrUpdate(DicomTag.PatientName, "Müller*");

        var response = (await FindAsync(QueryModel.PatientRoot, identifier)).Should().ContainSingle().Which;

        response.GetString(DicomTag.PatientName).Should().Be("Müller^Jürgen");
        response.GetString(DicomTag.SpecificCharacterSet).Should().Be("ISO_IR 192", "the response is encoded UTF-8");
    }

    [Test]
    public async Task FindAsync_Utf8Query_MatchesLatin1StoredName()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 192");
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, "PATIENT");
        identifier.AddOrUpdate(DicomTag.PatientName, "müller^jürgen");

        (await FindAsync(QueryModel.PatientRoot, identifier)).Should().ContainSingle()
            .Which.GetString(DicomTag.PatientID).Should().Be("PID2");
    }

    [Test]
    public async Task FindAsync_Utf8Query_MatchesUtf8Name()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 192");
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, "PATIENT");
        identifier.AddOrUpdate(DicomTag.PatientName, "łukasz*");

        var response = (await FindAsync(QueryModel.PatientRoot, identifier)).Should().ContainSingle().Which;
        response.GetString(DicomTag.PatientName).Should().Be("Łukasz^Żółć");
    }

    [Test]
    public async Task FindAsync_QueryWithoutCharacterSet_IsReadAsLatin1ByDefault()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, "PATIENT");
        // "Müller*" in Latin-1 bytes, padded with a space; no (0008,0005) in the identifier.
        identifier.Add(new DicomValueElement(DicomTag.PatientName, DicomVR.PN, new byte[] { 0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x2A, 0x20 }));

        (await FindAsync(QueryModel.PatientRoot, identifier)).Should().ContainSingle()
            .Which.GetString(DicomTag.PatientID).Should().Be("PID2");
    }

    [TestCase("山田*")]
    [TestCase("やまだ^たろう")]
    [TestCase("yamada*")]
    [TestCase("Yamada^Tarou=山田^太郎=やまだ^たろう")]
    public async Task FindAsync_Iso2022JapaneseQuery_MatchesAnyComponentGroup(string name)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.SpecificCharacterSet, "", "ISO 2022 IR 87");
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, "PATIENT");
        identifier.AddOrUpdate(DicomTag.PatientName, name);

        var response = (await FindAsync(QueryModel.PatientRoot, identifier)).Should().ContainSingle().Which;

        response.GetString(DicomTag.PatientID).Should().Be("PID4");
        response.GetString(DicomTag.PatientName).Should().Be(QueryCorpus.JapaneseName);
    }

    [Test]
    public async Task FindAsync_AsciiResults_OmitCharacterSetOrReturnItEmptyWhenRequested()
    {
        var plain = Identifier("PATIENT", (DicomTag.PatientID, "PID1"), (DicomTag.PatientName, ""));
        (await FindAsync(QueryModel.PatientRoot, plain)).Should().ContainSingle()
            .Which.Contains(DicomTag.SpecificCharacterSet).Should().BeFalse();

        var requested = Identifier("PATIENT", (DicomTag.PatientID, "PID1"), (DicomTag.PatientName, ""));
        requested.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 100");
        var response = (await FindAsync(QueryModel.PatientRoot, requested)).Should().ContainSingle().Which;
        response.Contains(DicomTag.SpecificCharacterSet).Should().BeTrue();
        response.GetString(DicomTag.SpecificCharacterSet).Should().BeEmpty();
    }
}
