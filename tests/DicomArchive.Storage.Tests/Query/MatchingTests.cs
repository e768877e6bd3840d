using DicomArchive.Dicom;
using DicomArchive.Storage.Query;

namespace DicomArchive.Storage.Tests.Query;

/// <summary>One test per matching rule of PS3.4 C.2.2.2 on the query engine.</summary>
public sealed class MatchingTests : QueryTestBase
{
    private static readonly DicomTag StudyUid = DicomTag.StudyInstanceUID;

    [Test]
    public async Task FindAsync_SingleValue_MatchesExactly()
    {
        var values = await FindValuesAsync(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTag.PatientID, "PID1")), DicomTag.PatientID);
        values.Should().Equal("PID1");
    }

    [Test]
    public async Task FindAsync_UniversalMatching_ReturnsEveryStudy()
    {
        var values = await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.PatientID, "")), StudyUid);
        values.Should().Equal("1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.2.6");
    }

    [Test]
    public async Task FindAsync_LoneAsterisk_IsUniversalAndMatchesEmptyValues()
    {
        var values = await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.AccessionNumber, "*")), StudyUid);
        values.Should().HaveCount(6);
    }

    [Test]
    public async Task FindAsync_WildcardAsteriskAndQuestionMark_MatchPattern()
    {
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.AccessionNumber, "ACC*")), StudyUid)).Should().Equal("1.2.1", "1.2.2");
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.AccessionNumber, "AC?2")), StudyUid)).Should().Equal("1.2.2");
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.AccessionNumber, "*C1")), StudyUid)).Should().Equal("1.2.1");
    }

    [Test]
    public async Task FindAsync_PercentAndUnderscoreInValue_AreLiterals()
    {
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.AccessionNumber, "A_*")), StudyUid)).Should().Equal("1.2.3");
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.AccessionNumber, "*%")), StudyUid)).Should().Equal("1.2.3");
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.AccessionNumber, "A%")), StudyUid)).Should().BeEmpty();
    }

    [Test]
    public async Task FindAsync_WildcardOnNonTextVR_IsNotAWildcard()
    {
        // PS3.4 C.2.2.2.4: wildcards only for AE, CS, LO, LT, PN, SH, ST, UC, UR, UT; a UI value "1.2.?" is a literal.
        (await FindValuesAsync(QueryModel.StudyRoot, Study((StudyUid, "1.2.?")), StudyUid)).Should().BeEmpty();
    }

    [Test]
    public async Task FindAsync_ListOfUids_MatchesAnyOfThem()
    {
        var values = await FindValuesAsync(QueryModel.StudyRoot, Study((StudyUid, @"1.2.1\1.2.3\9.9.9")), StudyUid);
        values.Should().Equal("1.2.1", "1.2.3");
    }

    [TestCase("20240101-20240131", new[] { "1.2.1", "1.2.4" })]
    [TestCase("20240301-", new[] { "1.2.2" })]
    [TestCase("-20231231", new[] { "1.2.3", "1.2.5" })]
    [TestCase("20240102", new[] { "1.2.1", "1.2.4" })]
    [TestCase("2024.01.02", new[] { "1.2.1", "1.2.4" })]
    public async Task FindAsync_DateRange_MatchesInclusiveRangeAndNeverEmptyDates(string range, string[] expected)
    {
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.StudyDate, range)), StudyUid)).Should().Equal(expected);
    }

    [TestCase("1000-1100", new[] { "1.2.1" })]
    [TestCase("2300-", new[] { "1.2.3", "1.2.4" })]
    [TestCase("-08", new[] { "1.2.2" })]
    [TestCase("10", new[] { "1.2.1" })]
    public async Task FindAsync_TimeRange_ExtendsUpperBoundToItsPrecision(string range, string[] expected)
    {
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.StudyTime, range)), StudyUid)).Should().Equal(expected);
    }

    [Test]
    public async Task FindAsync_StudyDateAndTimeBothRanges_MatchAsOneDateTimeRange()
    {
        // PS3.4 C.2.2.2.5.1: 2024-01-02 12:00 to 2024-03-15 09:00. Matched separately, the time range 12:00-09:00 is empty.
        var values = await FindValuesAsync(
            QueryModel.StudyRoot, Study((DicomTag.StudyDate, "20240102-20240315"), (DicomTag.StudyTime, "120000-090000")), StudyUid);
        values.Should().Equal("1.2.2", "1.2.4");
    }

    [Test]
    public async Task FindAsync_ModalitiesInStudyList_MatchesStudiesWithAnyOfThem()
    {
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.ModalitiesInStudy, "MR")), StudyUid)).Should().Equal("1.2.1", "1.2.5");
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.ModalitiesInStudy, @"CT\US")), StudyUid))
            .Should().Equal("1.2.1", "1.2.2", "1.2.3", "1.2.4");
    }

    [Test]
    public async Task FindAsync_ModalitiesInStudy_ReturnsAllModalitiesOfTheStudy()
    {
        var results = await FindAsync(QueryModel.StudyRoot, Study((StudyUid, "1.2.1"), (DicomTag.ModalitiesInStudy, "MR")));
        results.Should().ContainSingle().Which.GetStrings(DicomTag.ModalitiesInStudy).Should().Equal("CT", "MR");
    }

    [Test]
    public async Task FindAsync_SequenceItemKey_MatchesOneLevelAgainstStoredItems()
    {
        var identifier = Study();
        var item = new DicomDataset().AddOrUpdate(DicomTag.CodeValue, "P2");
        item.Add(new DicomValueElement(DicomTag.CodeMeaning, DicomVR.LO, ReadOnlyMemory<byte>.Empty));
        identifier.AddOrUpdate(DicomTag.ProcedureCodeSequence, item);

        var results = await FindAsync(QueryModel.StudyRoot, identifier);

        var response = results.Should().ContainSingle().Which;
        response.GetString(StudyUid).Should().Be("1.2.4");
        var returned = response.GetSequence(DicomTag.ProcedureCodeSequence)!.Items.Should().ContainSingle().Which;
        returned.GetString(DicomTag.CodeValue).Should().Be("P2");
        returned.GetString(DicomTag.CodeMeaning).Should().Be("Procedure P2");
        returned.Contains(DicomTag.CodingSchemeDesignator).Should().BeFalse("only the keys of the query's item are returned");
    }

    [Test]
    public async Task FindAsync_EmptySequenceKey_ReturnsWholeStoredSequence()
    {
        var identifier = Study((StudyUid, "1.2.1"));
        identifier.Add(new DicomSequence(DicomTag.ProcedureCodeSequence));

        var response = (await FindAsync(QueryModel.StudyRoot, identifier)).Should().ContainSingle().Which;

        var item = response.GetSequence(DicomTag.ProcedureCodeSequence)!.Items.Should().ContainSingle().Which;
        item.GetString(DicomTag.CodingSchemeDesignator).Should().Be("LOCAL");
    }

    [Test]
    public async Task FindAsync_PersonNameDifferentCase_MatchesByDefault()
    {
        (await FindValuesAsync(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTag.PatientName, "doe*")), DicomTag.PatientID))
            .Should().Equal("PID1");
        (await FindValuesAsync(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTag.PatientName, "DOE^JOHN")), DicomTag.PatientID))
            .Should().Equal("PID1");
    }

    [TestCase("Doe^John^^^")]
    [TestCase("Doe^John==")]
    public async Task FindAsync_PersonNameTrailingEmptyComponents_AreNotSignificant(string name)
    {
        (await FindValuesAsync(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTag.PatientName, name)), DicomTag.PatientID))
            .Should().Equal("PID1");
    }

    [Test]
    public async Task FindAsync_PersonNameCaseSensitiveOption_DoesNotFoldCase()
    {
        var options = new QueryOptions { CaseInsensitivePersonNames = false };
        (await FindValuesAsync(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTag.PatientName, "doe*")), DicomTag.PatientID, options))
            .Should().BeEmpty();
        (await FindValuesAsync(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTag.PatientName, "Doe*")), DicomTag.PatientID, options))
            .Should().Equal("PID1");
    }

    [Test]
    public async Task FindAsync_PersonNameAccents_ArePreserved()
    {
        // Case folds (ü = Ü), accents do not (u is not ü).
        (await FindValuesAsync(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTag.PatientName, "MÜLLER*")), DicomTag.PatientID))
            .Should().Equal("PID2");
        (await FindValuesAsync(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTag.PatientName, "Muller*")), DicomTag.PatientID))
            .Should().BeEmpty();
    }

    [Test]
    public async Task FindAsync_ReferringPhysicianName_MatchesCaseInsensitively()
    {
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.ReferringPhysicianName, "smith*")), StudyUid)).Should().HaveCount(6);
    }

    [Test]
    public async Task FindAsync_TrailingAndLeadingSpaces_AreNotSignificant()
    {
        (await FindValuesAsync(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTag.PatientID, " PID2  ")), DicomTag.PatientID))
            .Should().Equal("PID2");
    }

    [Test]
    public async Task FindAsync_SingleValueAgainstEmptyStoredValue_DoesNotMatch()
    {
        // PID5's study has no accession number: only universal matching returns it.
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.AccessionNumber, "?*")), StudyUid)).Should().NotContain("1.2.6");
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.AccessionNumber, "")), StudyUid)).Should().Contain("1.2.6");
    }

    [Test]
    public async Task FindAsync_IntegerKey_MatchesNumerically()
    {
        var identifier = Identifier("SERIES", (StudyUid, "1.2.1"), (DicomTag.SeriesNumber, "02"), (DicomTag.SeriesInstanceUID, ""));
        (await FindValuesAsync(QueryModel.StudyRoot, identifier, DicomTag.SeriesInstanceUID)).Should().Equal("1.2.1.2");
    }

    [Test]
    public async Task FindAsync_KeyNotInIndex_MatchedAgainstStoredFile()
    {
        var values = await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.InstitutionName, "general*")), StudyUid);
        values.Should().BeEmpty("LO matching is case-sensitive");
        (await FindValuesAsync(QueryModel.StudyRoot, Study((DicomTag.InstitutionName, "General*")), StudyUid)).Should().Equal("1.2.1");
    }
}
