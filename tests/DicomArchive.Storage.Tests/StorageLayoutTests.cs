using DicomArchive.Dicom;
using DicomArchive.Storage.Files;

namespace DicomArchive.Storage.Tests;

public sealed class StorageLayoutTests
{
    [TestCase("1.2.840.10008.5.1.4.1.1.2", true)]
    [TestCase("1", true)]
    [TestCase("", false)]
    [TestCase(".1.2", false)]
    [TestCase("1.2.", false)]
    [TestCase("1..2", false)]
    [TestCase("1.2.3a", false)]
    [TestCase("..", false)]
    [TestCase("CON", false)]
    [TestCase("1.2/3", false)]
    [TestCase("1.2\\3", false)]
    public void IsSafeUid_Examples_AsPs35Section91(string uid, bool safe) => StorageLayout.IsSafeUid(uid).Should().Be(safe);

    [Test]
    public void NewTempPathIn_ManyCallsOnManyThreads_EveryNameDistinctPartFileInTheFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "some-series");
        var names = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 20_000, _ => names.Add(StorageLayout.NewTempPathIn(folder)));

        names.Distinct().Should().HaveCount(20_000);
        names.Should().OnlyContain(n => Path.GetDirectoryName(n) == folder && n.EndsWith(StorageLayout.TempExtension, StringComparison.Ordinal));
    }

    [Test]
    public void SafeName_UidLongerThan64_HashedName()
    {
        var uid = "1." + new string('2', 63);

        var name = StorageLayout.SafeName(uid);

        name.Should().MatchRegex("^x[0-9a-f]{40}$");
        StorageLayout.SafeName(uid).Should().Be(name, "the name is stable");
    }

    [Test]
    public void RelativePath_WellFormedUids_StudySeriesInstance()
    {
        StorageLayout.RelativePath("1.2", "1.2.3", "1.2.3.4").Should().Be("1.2/1.2.3/1.2.3.4.dcm");
    }

    [Test]
    public async Task CommitAsync_ImplicitVRWithUndefinedLengthSequence_IndexesTopLevelAttributes()
    {
        await using var f = await StoreFixture.CreateAsync();
        var ds = new TestDataset(explicitVR: false)
            .Text(DicomTag.SOPClassUID, DicomVR.UI, TestDataset.CtImageStorage)
            .Text(DicomTag.SOPInstanceUID, DicomVR.UI, "1.2.9.1")
            .Text(DicomTag.AccessionNumber, DicomVR.SH, "A7");
        // (0008,1115) Referenced Series Sequence, undefined length, one undefined-length item (PS3.5 7.5.2).
        ds.Header(new DicomTag(0x0008, 0x1115), DicomVR.SQ, 0xFFFFFFFF)
            .Delimiter(DicomTag.Item, 0xFFFFFFFF)
            .Text(DicomTag.SeriesInstanceUID, DicomVR.UI, "9.9.9")
            .Delimiter(DicomTag.ItemDelimitationItem)
            .Delimiter(DicomTag.SequenceDelimitationItem);
        ds.Text(DicomTag.PatientID, DicomVR.LO, "P9")
            .Text(DicomTag.StudyInstanceUID, DicomVR.UI, "1.2.9")
            .Text(DicomTag.SeriesInstanceUID, DicomVR.UI, "1.2.9.0");

        var result = await f.StoreAsync(StoreFixture.Context("1.2.9.1", syntax: "1.2.840.10008.1.2"), ds.ToArray());

        result.Status.Should().Be(StoreStatus.Success);
        f.Text("SELECT series_instance_uid FROM series").Should().Be("1.2.9.0", "the nested Series Instance UID is not the instance's");
        f.Text("SELECT accession_number FROM studies").Should().Be("A7");
        f.Text("SELECT patient_id FROM patients").Should().Be("P9");
    }
}
