using DicomArchive.Dicom;
using DicomArchive.Storage.Query;

namespace DicomArchive.Storage.Tests.Query;

/// <summary>Response identifiers (PS3.4 C.4.1.1.3.2): requested keys, required keys, computed keys, keys from files.</summary>
public sealed class ResponseTests : QueryTestBase
{
    [Test]
    public async Task FindAsync_Response_HasEveryRequestedKeyAndTheRequiredOnes()
    {
        var identifier = Study((DicomTag.StudyInstanceUID, "1.2.1"), (DicomTag.StudyDescription, ""), (DicomTag.Modality, ""),
            (DicomTag.PatientName, ""), (DicomTag.StudyDate, ""));

        var response = (await FindAsync(QueryModel.StudyRoot, identifier)).Should().ContainSingle().Which;

        response.GetString(DicomTag.QueryRetrieveLevel).Should().Be("STUDY");
        response.GetString(DicomTag.RetrieveAETitle).Should().Be("ARCHIVE");
        response.GetString(DicomTag.InstanceAvailability).Should().Be("ONLINE");
        response.GetString(DicomTag.StudyDescription).Should().Be("Study of PID1");
        response.GetString(DicomTag.PatientName).Should().Be("Doe^John");
        response.GetString(DicomTag.StudyDate).Should().Be("20240102");
        response.Contains(DicomTag.Modality).Should().BeTrue("a key below the query level is returned empty");
        response.GetString(DicomTag.Modality).Should().BeEmpty();
    }

    [Test]
    public async Task FindAsync_PatientLevelCountKeys_AreComputed()
    {
        var identifier = Identifier("PATIENT", (DicomTag.PatientID, "PID1"), (DicomTag.NumberOfPatientRelatedStudies, ""),
            (DicomTag.NumberOfPatientRelatedSeries, ""), (DicomTag.NumberOfPatientRelatedInstances, ""));

        var response = (await FindAsync(QueryModel.PatientRoot, identifier)).Should().ContainSingle().Which;

        response.GetString(DicomTag.NumberOfPatientRelatedStudies).Should().Be("2");
        response.GetString(DicomTag.NumberOfPatientRelatedSeries).Should().Be("3");
        response.GetString(DicomTag.NumberOfPatientRelatedInstances).Should().Be("4");
    }

    [Test]
    public async Task FindAsync_StudyLevelComputedKeys_AreComputed()
    {
        var identifier = Study((DicomTag.StudyInstanceUID, "1.2.1"), (DicomTag.NumberOfStudyRelatedSeries, ""),
            (DicomTag.NumberOfStudyRelatedInstances, ""), (DicomTag.ModalitiesInStudy, ""), (DicomTag.SOPClassesInStudy, ""));

        var response = (await FindAsync(QueryModel.StudyRoot, identifier)).Should().ContainSingle().Which;

        response.GetString(DicomTag.NumberOfStudyRelatedSeries).Should().Be("2");
        response.GetString(DicomTag.NumberOfStudyRelatedInstances).Should().Be("3");
        response.GetStrings(DicomTag.ModalitiesInStudy).Should().Equal("CT", "MR");
        response.GetStrings(DicomTag.SOPClassesInStudy).Should().BeEquivalentTo(TestDataset.CtImageStorage, TestDataset.MrImageStorage);
    }

    [Test]
    public async Task FindAsync_SeriesLevel_ReturnsSeriesCountAndUpperUniqueKeys()
    {
        var identifier = Identifier("SERIES", (DicomTag.PatientID, "PID1"), (DicomTag.StudyInstanceUID, "1.2.1"),
            (DicomTag.SeriesInstanceUID, ""), (DicomTag.NumberOfSeriesRelatedInstances, ""), (DicomTag.Modality, ""));

        var results = await FindAsync(QueryModel.PatientRoot, identifier);

        results.ConvertAll(r => (r.GetString(DicomTag.SeriesInstanceUID), r.GetString(DicomTag.NumberOfSeriesRelatedInstances),
            r.GetString(DicomTag.Modality))).Should().BeEquivalentTo([("1.2.1.1", "2", "CT"), ("1.2.1.2", "1", "MR")]);
    }

    [Test]
    public async Task FindAsync_KeyNotInIndex_IsFilledFromStoredFile()
    {
        var identifier = Study((DicomTag.StudyInstanceUID, @"1.2.1\1.2.2"), (DicomTag.InstitutionName, ""), (DicomTag.PatientAge, ""));

        var results = await FindAsync(QueryModel.StudyRoot, identifier);

        results.Should().HaveCount(2);
        var first = results.Single(r => r.GetString(DicomTag.StudyInstanceUID) == "1.2.1");
        first.GetString(DicomTag.InstitutionName).Should().Be("General Hospital");
        first.GetString(DicomTag.PatientAge).Should().Be("054Y");
        var second = results.Single(r => r.GetString(DicomTag.StudyInstanceUID) == "1.2.2");
        second.Contains(DicomTag.InstitutionName).Should().BeTrue();
        second.GetString(DicomTag.InstitutionName).Should().BeEmpty("that study's instances have no InstitutionName");
    }

    [Test]
    public async Task FindAsync_ImageLevelWithOnlySopInstanceUid_IsAnsweredRelationally()
    {
        var identifier = Identifier("IMAGE", (DicomTag.SOPInstanceUID, "1.2.1.2.1"), (DicomTag.SOPClassUID, ""), (DicomTag.InstanceNumber, ""));

        var response = (await FindAsync(QueryModel.PatientRoot, identifier)).Should().ContainSingle().Which;

        response.GetString(DicomTag.PatientID).Should().Be("PID1");
        response.GetString(DicomTag.StudyInstanceUID).Should().Be("1.2.1");
        response.GetString(DicomTag.SeriesInstanceUID).Should().Be("1.2.1.2");
        response.GetString(DicomTag.SOPClassUID).Should().Be(TestDataset.MrImageStorage);
        response.GetString(DicomTag.InstanceNumber).Should().Be("1");
    }

    [Test]
    public async Task FindAsync_PatientStudyOnlyModel_AnswersPatientAndStudyLevels()
    {
        (await FindValuesAsync(QueryModel.PatientStudyOnly, Identifier("PATIENT", (DicomTag.PatientID, "PID*")), DicomTag.PatientID))
            .Should().HaveCount(5);
        (await FindValuesAsync(QueryModel.PatientStudyOnly, Identifier("STUDY", (DicomTag.PatientID, "PID1"), (DicomTag.StudyInstanceUID, "")),
            DicomTag.StudyInstanceUID)).Should().Equal("1.2.1", "1.2.2");
    }

    [Test]
    public void TryFromSopClassUid_FindMoveGetUids_MapToModels()
    {
        QueryModels.TryFromSopClassUid("1.2.840.10008.5.1.4.1.2.1.1", out var patientRoot).Should().BeTrue();
        patientRoot.Should().Be(QueryModel.PatientRoot);
        QueryModels.TryFromSopClassUid("1.2.840.10008.5.1.4.1.2.2.3", out var studyRoot).Should().BeTrue();
        studyRoot.Should().Be(QueryModel.StudyRoot);
        QueryModels.TryFromSopClassUid("1.2.840.10008.5.1.4.1.2.3.2\0", out var patientStudy).Should().BeTrue();
        patientStudy.Should().Be(QueryModel.PatientStudyOnly);
        QueryModels.TryFromSopClassUid("1.2.840.10008.5.1.4.31", out _).Should().BeFalse();
    }
}
