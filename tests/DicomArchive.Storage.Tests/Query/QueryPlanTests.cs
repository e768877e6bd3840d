using DicomArchive.Dicom;
using DicomArchive.Storage.Query;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Tests.Query;

/// <summary>The SQL of the common study-level queries uses the index's indexes (EXPLAIN QUERY PLAN), not a table scan.</summary>
public sealed class QueryPlanTests : QueryTestBase
{
    [TestCase("PatientID", "PID1", "sqlite_autoindex_patients_1")]
    [TestCase("PatientName", "DOE*", "ix_patients_name_norm")]
    [TestCase("StudyDate", "20240101-20240131", "ix_studies_date_time")]
    [TestCase("AccessionNumber", "ACC1", "ix_studies_accession")]
    [TestCase("StudyInstanceUID", "1.2.1", "sqlite_autoindex_studies_1")]
    public void Compile_StudyLevelQuery_UsesIndex(string keyword, string value, string index)
    {
        DicomDictionary.TryGetTag(keyword, out var tag).Should().BeTrue();
        var identifier = Study((DicomTag.PatientName, ""), (DicomTag.StudyDate, ""), (DicomTag.ModalitiesInStudy, ""),
            (DicomTag.NumberOfStudyRelatedInstances, ""));
        identifier.AddOrUpdate(tag, value);

        var plan = Plan(identifier);

        plan.Should().Contain(index);
        plan.Should().NotMatchRegex(@"SCAN (p|st)\b", "the entity table is searched through the index:\n" + plan);
    }

    private string Plan(DicomDataset identifier)
    {
        var (sql, parameters) = Engine().Compile(QueryModel.StudyRoot, identifier);
        using var connection = Fixture.Store.OpenIndexConnection();
        using var command = QueryEngine.CreateCommand(connection, "EXPLAIN QUERY PLAN " + sql, parameters);
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }

        return sql + "\n" + string.Join('\n', lines);
    }
}
