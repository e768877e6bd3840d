using DicomArchive.Dicom;
using DicomArchive.Storage.Query;

namespace DicomArchive.Storage.Tests.Query;

/// <summary>Bad identifiers (PS3.4 C.4.1.1.4), cancellation, the result limit, and C-MOVE/C-GET resolution.</summary>
public sealed class ErrorAndControlTests : QueryTestBase
{
    [Test]
    public async Task FindAsync_NoQueryRetrieveLevel_FailsA900NamingTheKey()
    {
        var identifier = new DicomDataset().AddOrUpdate(DicomTag.PatientID, "PID1");

        var act = () => FindAsync(QueryModel.PatientRoot, identifier);

        var error = (await act.Should().ThrowAsync<QueryException>()).Which;
        error.Status.Should().Be(0xA900);
        error.ErrorComment.Should().Contain("QueryRetrieveLevel");
        error.OffendingElement.Should().Be(DicomTag.QueryRetrieveLevel);
    }

    [TestCase(QueryModel.PatientRoot, "FRAME")]
    [TestCase(QueryModel.StudyRoot, "PATIENT")]
    [TestCase(QueryModel.PatientStudyOnly, "SERIES")]
    public async Task FindAsync_LevelUnknownOrNotInModel_FailsA900(QueryModel model, string level)
    {
        var act = () => FindAsync(model, Identifier(level, (DicomTag.PatientID, "")));

        var error = (await act.Should().ThrowAsync<QueryException>()).Which;
        error.Status.Should().Be(0xA900);
        error.ErrorComment.Should().Contain("QueryRetrieveLevel");
    }

    [TestCase("2024-01")]
    [TestCase("20241301")]
    [TestCase("2024010")]
    [TestCase("20240101-20240201-20240301")]
    public async Task FindAsync_MalformedDate_FailsC000NamingTheKey(string value)
    {
        var act = () => FindAsync(QueryModel.StudyRoot, Study((DicomTag.StudyDate, value)));

        var error = (await act.Should().ThrowAsync<QueryException>()).Which;
        error.Status.Should().Be(0xC000);
        error.ErrorComment.Should().Contain("StudyDate");
        error.OffendingElement.Should().Be(DicomTag.StudyDate);
    }

    [Test]
    public async Task FindAsync_MalformedTimeRange_FailsNamingStudyTime()
    {
        var act = () => FindAsync(QueryModel.StudyRoot, Study((DicomTag.StudyTime, "25-")));

        (await act.Should().ThrowAsync<QueryException>()).Which.ErrorComment.Should().Contain("StudyTime");
    }

    [Test]
    public async Task FindAsync_Cancelled_StopsBetweenResponses()
    {
        using var cts = new CancellationTokenSource();
        var seen = 0;
        var act = async () =>
        {
            await foreach (var unused in Engine().FindAsync(QueryModel.StudyRoot, Study(), cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().Be(1);
    }

    [Test]
    public async Task FindAsync_MoreMatchesThanLimit_ReturnsLimitThenFailsA700()
    {
        var options = new QueryOptions { MaxResults = 2 };
        var seen = 0;
        var act = async () =>
        {
            await foreach (var unused in Engine(options).FindAsync(QueryModel.StudyRoot, Study()))
            {
                seen++;
            }
        };

        (await act.Should().ThrowAsync<QueryException>()).Which.Status.Should().Be(0xA700);
        seen.Should().Be(2);
    }

    [Test]
    public async Task FindAsync_ExactlyLimitMatches_Succeeds()
    {
        var results = await FindAsync(QueryModel.StudyRoot, Study((DicomTag.PatientID, "PID1")), new QueryOptions { MaxResults = 2 });
        results.Should().HaveCount(2);
    }

    [Test]
    public async Task ResolveInstancesAsync_StudyLevel_ReturnsEveryInstanceWithItsFile()
    {
        var identifier = Identifier("STUDY", (DicomTag.StudyInstanceUID, "1.2.1"));

        var instances = await Engine().ResolveInstancesAsync(QueryModel.StudyRoot, identifier);

        instances.Select(i => i.SopInstanceUid).Should().Equal("1.2.1.1.1", "1.2.1.1.2", "1.2.1.2.1");
        instances.Should().OnlyContain(i => File.Exists(i.FullPath) && i.TransferSyntaxUid == "1.2.840.10008.1.2.1" && i.FileSize > 0);
        instances[2].SopClassUid.Should().Be(TestDataset.MrImageStorage);
    }

    [Test]
    public async Task ResolveInstancesAsync_ImageLevelUidList_ReturnsThoseInstances()
    {
        var identifier = Identifier("IMAGE", (DicomTag.StudyInstanceUID, "1.2.1"), (DicomTag.SeriesInstanceUID, "1.2.1.1"),
            (DicomTag.SOPInstanceUID, @"1.2.1.1.2\1.2.9"));

        var instances = await Engine().ResolveInstancesAsync(QueryModel.PatientRoot, identifier);

        instances.Should().ContainSingle().Which.SopInstanceUid.Should().Be("1.2.1.1.2");
    }

    [Test]
    public async Task ResolveInstancesAsync_WithoutUniqueKeyOfLevel_FailsA900()
    {
        var act = () => Engine().ResolveInstancesAsync(QueryModel.StudyRoot, Identifier("SERIES", (DicomTag.StudyInstanceUID, "1.2.1")));

        var error = (await act.Should().ThrowAsync<QueryException>()).Which;
        error.Status.Should().Be(0xA900);
        error.OffendingElement.Should().Be(DicomTag.SeriesInstanceUID);
    }
}
