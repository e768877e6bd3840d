using DicomArchive.Dicom;
using DicomArchive.Storage.Query.Matching;

namespace DicomArchive.Storage.Tests.Query;

/// <summary>The in-memory matchers used for keys read from stored files (PS3.4 C.2.2.2.4, C.2.2.2.5).</summary>
public sealed class MatchingPrimitivesTests
{
    [TestCase("A*C", "ABBBC", true)]
    [TestCase("A*C", "ABBB", false)]
    [TestCase("?B*", "AB", true)]
    [TestCase("*", "", true)]
    [TestCase("A?", "A", false)]
    [TestCase("*X*Y", "aXbXcY", true)]
    [TestCase("100%", "100%", true)]
    public void Matches_Pattern_FollowsDicomWildcards(string pattern, string value, bool expected) =>
        Wildcard.Matches(pattern, value).Should().Be(expected);

    [Test]
    public void ToGlob_Bracket_IsEscapedAsClass() => Wildcard.ToGlob("A[1]*").Should().Be("A[[]1]*");

    [TestCase("20200101-20201231", "20200615", true)]
    [TestCase("20200101-20201231", "20210101", false)]
    [TestCase("2020-", "20200615120000", true)]
    [TestCase("-2019", "20200101", false)]
    [TestCase("20200615120000+0100-20200615130000+0100", "20200615123000", true)]
    [TestCase("202006", "20200630235959", true)]
    public void DateTimeRange_Dt_MatchesByPrecision(string query, string stored, bool expected)
    {
        DateTimeRange.TryParse(query, DicomVR.DT, out var range).Should().BeTrue();
        range.Contains(stored).Should().Be(expected);
    }

    [TestCase("1-2-3", DicomVR.DA)]
    [TestCase("-", DicomVR.DA)]
    [TestCase("2460", DicomVR.TM)]
    [TestCase("10.5", DicomVR.TM)]
    [TestCase("20201", DicomVR.DT)]
    public void DateTimeRange_Malformed_IsRefused(string query, DicomVR vr) =>
        DateTimeRange.TryParse(query, vr, out _).Should().BeFalse();

    [Test]
    public void DateTimeRange_EmptyStoredValue_NeverInRange()
    {
        DateTimeRange.TryParse("-20201231", DicomVR.DA, out var range).Should().BeTrue();
        range.Contains("").Should().BeFalse();
    }
}
