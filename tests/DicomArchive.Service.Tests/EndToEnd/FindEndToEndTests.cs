using System.Globalization;
using DicomArchive.Dicom;
using DicomArchive.Service.Tests.Support;

namespace DicomArchive.Service.Tests.EndToEnd;

/// <summary>
/// C-FIND against the running archive with DCMTK findscu, on a stored corpus whose contents the test knows: both
/// models, every level, the matching kinds, names in Latin-1, UTF-8 and ISO 2022 Japanese, computed keys, errors, cancel.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public sealed class FindEndToEndTests
{
    private const string Root = "1.2.826.0.1.3680043.10.2";
    private string folder = null!;
    private ArchiveProcess archive = null!;

    [OneTimeSetUp]
    public async Task StoreCorpus()
    {
        Dcmtk.Require("findscu");
        folder = TestInstances.NewTempFolder("find");
        var files = new List<string>
        {
            await Save("11.1.1", "11", "11.1", "PID-001", "Doe^Jane", "20240105", "CT", accession: "A11"),
            await Save("11.1.2", "11", "11.1", "PID-001", "Doe^Jane", "20240105", "CT", accession: "A11"),
            await Save("12.1.1", "12", "12.1", "PID-001", "Doe^Jane", "20240320", "MR", accession: "A12"),
            await Save("21.1.1", "21", "21.1", "PID-002", "Müller^Jürgen", "20231201", "CT", accession: "A21"),
            await Save("21.2.1", "21", "21.2", "PID-002", "Müller^Jürgen", "20231201", "MR", accession: "A21"),
            await Save("31.1.1", "31", "31.1", "PID-003", "Yamada^Tarou=山田^太郎=やまだ^たろう", "20240601", "US", "\\ISO 2022 IR 87", "A31"),
            await Save("41.1.1", "41", "41.1", "PID-004", "Ωμέγα^Άλφα", "20240610", "CT", "ISO_IR 192", "A41"),
        };

        archive = await ArchiveProcess.StartAsync(folder);
        await StoreEndToEndTests.StoreAllAsync(archive.Port, files);
    }

    [OneTimeTearDown]
    public Task StopArchive() => ArchiveProcess.StopAndDeleteAsync(archive, folder);

    [Test]
    public async Task Find_StudyRootPatientNameWildcard_MatchesCaseInsensitively()
    {
        var responses = await FindAsync("-S", "QueryRetrieveLevel=STUDY", "PatientName=doe*", "StudyInstanceUID");

        StudyUids(responses).Should().BeEquivalentTo([$"{Root}.12", $"{Root}.11"]);
        responses.Should().AllSatisfy(r => r.GetString(DicomTag.PatientName).Should().Be("Doe^Jane"));
    }

    [Test]
    public async Task Find_StudyDateRange_ReturnsOnlyStudiesInRange()
    {
        var responses = await FindAsync("-S", "QueryRetrieveLevel=STUDY", "StudyDate=20240101-20240331", "StudyInstanceUID");

        StudyUids(responses).Should().BeEquivalentTo([$"{Root}.11", $"{Root}.12"]);
    }

    [Test]
    public async Task Find_OpenEndedDateRange_ReturnsStudiesFromThatDay()
    {
        var responses = await FindAsync("-S", "QueryRetrieveLevel=STUDY", "StudyDate=20240601-", "StudyInstanceUID");

        StudyUids(responses).Should().BeEquivalentTo([$"{Root}.31", $"{Root}.41"]);
    }

    [Test]
    public async Task Find_ModalitiesInStudy_MatchesStudiesHoldingAnyListedModality()
    {
        var responses = await FindAsync("-S", "QueryRetrieveLevel=STUDY", "ModalitiesInStudy=MR\\US", "StudyInstanceUID");

        StudyUids(responses).Should().BeEquivalentTo([$"{Root}.12", $"{Root}.21", $"{Root}.31"]);
        responses.Single(r => r.GetString(DicomTag.StudyInstanceUID) == $"{Root}.21").GetStrings(DicomTag.ModalitiesInStudy)
            .Should().BeEquivalentTo(["CT", "MR"]);
    }

    [Test]
    public async Task Find_PatientRootPatientLevel_ComputedCountsAndRequiredKeys()
    {
        var responses = await FindAsync("-P", "QueryRetrieveLevel=PATIENT", "PatientID=PID-001", "PatientName",
            "NumberOfPatientRelatedStudies", "NumberOfPatientRelatedSeries", "NumberOfPatientRelatedInstances");

        var patient = responses.Should().ContainSingle().Subject;
        patient.GetString(DicomTag.PatientName).Should().Be("Doe^Jane");
        patient.GetString(DicomTag.NumberOfPatientRelatedStudies).Should().Be("2");
        patient.GetString(DicomTag.NumberOfPatientRelatedSeries).Should().Be("2");
        patient.GetString(DicomTag.NumberOfPatientRelatedInstances).Should().Be("3");
        patient.GetString(DicomTag.RetrieveAETitle).Should().Be("DICOMARCHIVE");
        patient.GetString(DicomTag.QueryRetrieveLevel).Should().Be("PATIENT");
    }

    [Test]
    public async Task Find_PatientStudyOnlyModel_StudyLevelByPatientId()
    {
        var responses = await FindAsync("-O", "QueryRetrieveLevel=STUDY", "PatientID=PID-002", "StudyInstanceUID");

        StudyUids(responses).Should().BeEquivalentTo([$"{Root}.21"]);
    }

    [Test]
    public async Task Find_SeriesLevelWithStudyUid_ReturnsEachSeriesWithModality()
    {
        var responses = await FindAsync("-S", "QueryRetrieveLevel=SERIES", $"StudyInstanceUID={Root}.21", "SeriesInstanceUID", "Modality",
            "NumberOfSeriesRelatedInstances");

        responses.Select(r => r.GetString(DicomTag.Modality)).Should().BeEquivalentTo(["CT", "MR"]);
        responses.Should().AllSatisfy(r => r.GetString(DicomTag.NumberOfSeriesRelatedInstances).Should().Be("1"));
    }

    [Test]
    public async Task Find_ImageLevelWithOnlySopInstanceUid_AnsweredRelationally()
    {
        var responses = await FindAsync("-S", "QueryRetrieveLevel=IMAGE", $"SOPInstanceUID={Root}.11.1.2", "StudyInstanceUID", "SeriesInstanceUID");

        var image = responses.Should().ContainSingle().Subject;
        image.GetString(DicomTag.StudyInstanceUID).Should().Be($"{Root}.11");
        image.GetString(DicomTag.SeriesInstanceUID).Should().Be($"{Root}.11.1");
    }

    [Test]
    public async Task Find_UidList_MatchesEachListedStudy()
    {
        var responses = await FindAsync("-S", "QueryRetrieveLevel=STUDY", $"StudyInstanceUID={Root}.11\\{Root}.41", "AccessionNumber");

        responses.Select(r => r.GetString(DicomTag.AccessionNumber)).Should().BeEquivalentTo(["A11", "A41"]);
    }

    [Test]
    public async Task Find_Utf8QueryForLatin1StoredName_MatchesAcrossCharacterSets()
    {
        var responses = await FindAsync("-S", "SpecificCharacterSet=ISO_IR 192", "QueryRetrieveLevel=STUDY", "PatientName=müller*");

        responses.Should().ContainSingle().Which.GetString(DicomTag.PatientName).Should().Be("Müller^Jürgen");
    }

    [Test]
    public async Task Find_JapaneseNameStoredInIso2022_ReturnedWithAllThreeGroups()
    {
        var responses = await FindAsync("-P", "QueryRetrieveLevel=PATIENT", "PatientName=yamada*", "PatientID");

        var patient = responses.Should().ContainSingle().Subject;
        patient.GetString(DicomTag.PatientID).Should().Be("PID-003");
        patient.GetString(DicomTag.PatientName).Should().Be("Yamada^Tarou=山田^太郎=やまだ^たろう");
    }

    [Test]
    public async Task Find_GreekUtf8Name_MatchesByPrefix()
    {
        var responses = await FindAsync("-S", "SpecificCharacterSet=ISO_IR 192", "QueryRetrieveLevel=STUDY", "PatientName=Ωμέγα*");

        responses.Should().ContainSingle().Which.GetString(DicomTag.PatientName).Should().Be("Ωμέγα^Άλφα");
    }

    [Test]
    public async Task Find_MalformedDate_FailsWithErrorCommentNamingTheKey()
    {
        var (_, output) = await RunFindscuAsync(["-d", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyDate=2024x"]);

        output.Should().Contain("0xc000").And.Contain("StudyDate (0008,0020)");
    }

    [Test]
    public async Task Find_CancelAfterFirstResponse_EndsWithCancelStatusBeforeAllMatches()
    {
        const int Matches = 2000;
        // Enough matches that the archive is still sending when the C-CANCEL arrives: pending responses are sent in
        // batches, a few microseconds each, so a few hundred can be gone before findscu's C-CANCEL gets back.
        var root = TestInstances.NewTempFolder("find-cancel");
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), Matches, "1.2.826.0.1.3680043.10.3");
        await using var busy = await ArchiveProcess.StartAsync(root);
        await using (var client = await StoreEndToEndTests.ConnectAsync(busy.Port))
        {
            foreach (var file in files)
            {
                (await client.StoreFileAsync(file)).Status!.Value.IsSuccess.Should().BeTrue();
            }

            await client.ReleaseAsync();
        }

        var (_, output) = await Dcmtk.RunAsync("findscu", ["-v", "--cancel", "1", "-S", "-k", "QueryRetrieveLevel=IMAGE",
            "-k", "StudyInstanceUID=1.2.826.0.1.3680043.10.3", "-k", "SOPInstanceUID", "-aec", "DICOMARCHIVE", "127.0.0.1",
            busy.Port.ToString(CultureInfo.InvariantCulture)]);

        output.Should().Contain("Find Response: 1 (Pending)").And.Contain("Cancel: MatchingTerminatedDueToCancelRequest");
        output.Should().NotContain($"Find Response: {Matches} (Pending)");
        await busy.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    private static string[] StudyUids(IEnumerable<DicomDataset> responses) =>
        responses.Select(r => r.GetString(DicomTag.StudyInstanceUID)).ToArray();

    private async Task<string> Save(string sop, string study, string series, string patientId, string name, string date, string modality,
        string charset = "ISO_IR 100", string accession = "") =>
        await TestInstances.SaveAsync(Path.Combine(folder, "in"),
            TestInstances.Instance($"{Root}.{sop}", $"{Root}.{study}", $"{Root}.{series}", patientId, name, date, modality, charset, accession));

    /// <summary>Runs findscu with -X (each response written to a file) and reads the responses with our reader.</summary>
    private async Task<List<DicomDataset>> FindAsync(string model, params string[] keys)
    {
        var output = Path.Combine(folder, "rsp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(output);
        var args = new List<string> { model, "-X", "-od", output };
        foreach (var key in keys)
        {
            args.Add("-k");
            args.Add(key);
        }

        var (code, text) = await RunFindscuAsync(args);
        code.Should().Be(0, text);
        var responses = new List<DicomDataset>();
        foreach (var file in Directory.GetFiles(output, "rsp*.dcm").Order(StringComparer.Ordinal))
        {
            responses.Add((await DicomFileReader.OpenAsync(file)).Dataset);
        }

        return responses;
    }

    private Task<(int ExitCode, string Output)> RunFindscuAsync(IEnumerable<string> args) =>
        Dcmtk.RunAsync("findscu", [.. args, "-aec", "DICOMARCHIVE", "127.0.0.1", archive.Port.ToString(CultureInfo.InvariantCulture)]);
}
