using DicomArchive.Dicom;
using DicomArchive.Storage.Index;
using DicomArchive.Storage.Query;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Tests.Query;

/// <summary>Schema v2 (person name groups) fills the new columns of patients indexed under v1.</summary>
public sealed class SchemaV2MigrationTests
{
    [Test]
    public async Task Migrate_V1IndexWithJapaneseName_FillsNameGroupsAndQueriesMatchThem()
    {
        var root = Path.Combine(Path.GetTempPath(), "dicomarchive-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var indexPath = Path.Combine(root, "index.sqlite");
        using (var connection = new SqliteConnection("Data Source=" + indexPath + ";Pooling=false"))
        {
            connection.Open();
            SchemaMigrations.Migrate(connection, targetVersion: 1);
            using var command = connection.CreateCommand();
            command.CommandText =
                """
                INSERT INTO patients (patient_id, patient_name, patient_name_norm, created_at)
                VALUES ('PID4', 'Yamada^Tarou=山田^太郎=やまだ^たろう', 'YAMADA^TAROU=山田^太郎=やまだ^たろう', 'now'),
                       ('PID9', 'Plain^Name', 'PLAIN^NAME', 'now');
                """;
            command.ExecuteNonQuery();
        }

        var options = new ArchiveStorageOptions { StorageRoot = Path.Combine(root, "s"), IndexPath = indexPath, MinimumFreeDiskBytes = 0 };
        await using (var store = await InstanceStore.OpenAsync(options))
        {
            using (var connection = store.OpenIndexConnection())
            using (var command = connection.CreateCommand())
            {
                command.CommandText =
                    "SELECT patient_name_ideographic_norm || '|' || patient_name_phonetic_norm FROM patients ORDER BY patient_id";
                using var reader = command.ExecuteReader();
                reader.Read().Should().BeTrue();
                reader.GetString(0).Should().Be("山田^太郎|やまだ^たろう");
                reader.Read().Should().BeTrue();
                reader.GetString(0).Should().Be("|");
            }

            var identifier = new DicomDataset();
            identifier.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 192");
            identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, "PATIENT");
            identifier.AddOrUpdate(DicomTag.PatientName, "やまだ*");
            var ids = new List<string>();
            await foreach (var response in new QueryEngine(store, new QueryOptions()).FindAsync(QueryModel.PatientRoot, identifier))
            {
                ids.Add(response.GetString(DicomTag.PatientID));
            }

            ids.Should().Equal("PID4");
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }
}
