using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Index;

/// <summary>One instance for <see cref="IndexBulkLoader"/>: the index columns, flattened over patient, study and series.</summary>
public sealed record BulkInstanceRow
{
    public required string PatientId { get; init; }
    public string PatientName { get; init; } = "";
    public string PatientBirthDate { get; init; } = "";
    public string PatientSex { get; init; } = "";
    public required string StudyInstanceUid { get; init; }
    public string StudyDate { get; init; } = "";
    public string StudyTime { get; init; } = "";
    public string AccessionNumber { get; init; } = "";
    public string StudyId { get; init; } = "";
    public string StudyDescription { get; init; } = "";
    public string ReferringPhysicianName { get; init; } = "";
    public required string SeriesInstanceUid { get; init; }
    public string Modality { get; init; } = "";
    public int? SeriesNumber { get; init; }
    public required string SopInstanceUid { get; init; }
    public required string SopClassUid { get; init; }
    public int? InstanceNumber { get; init; }
    public string TransferSyntaxUid { get; init; } = "1.2.840.10008.1.2.1";

    /// <summary>Relative to the StorageRoot; no file needs to exist (benchmarks of the index alone).</summary>
    public required string FilePath { get; init; }
}

/// <summary>
/// Writes index rows directly, in large transactions, without files: for benchmarks that need an index of millions of
/// instances (issue: 1,000,000 instances, 50,000 studies). Not an ingest path: no file, no checks, no conflict policy;
/// patient/study/series rows are created the first time their key is seen and counts and ModalitiesInStudy are computed
/// once at the end. Run it on an index nothing else writes to.
/// </summary>
public static class IndexBulkLoader
{
    /// <summary>Loads <paramref name="rows"/> into the index of <paramref name="store"/>; returns the number of instances written.</summary>
    public static long Load(InstanceStore store, IEnumerable<BulkInstanceRow> rows, int batchSize = 50_000)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using var connection = store.OpenIndexConnection();
        Execute(connection, "PRAGMA synchronous = OFF;");
        var patients = new Dictionary<string, long>(StringComparer.Ordinal);
        var studies = new Dictionary<string, long>(StringComparer.Ordinal);
        var series = new Dictionary<string, long>(StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        long count = 0;
        var transaction = connection.BeginTransaction();
        try
        {
            using var insertPatient = Command(connection,
                """
                INSERT INTO patients (patient_id, patient_name, patient_name_norm, patient_name_ideographic_norm, patient_name_phonetic_norm,
                    patient_birth_date, patient_sex, created_at)
                VALUES ($id, $name, $norm, $ideographic, $phonetic, $birth, $sex, $now) RETURNING pk
                """);
            using var insertStudy = Command(connection,
                """
                INSERT INTO studies (patient_fk, study_instance_uid, study_date, study_time, accession_number, study_id, study_description,
                    referring_physician_name, referring_physician_name_norm, created_at, updated_at)
                VALUES ($fk, $uid, $date, $time, $accession, $studyId, $description, $physician, $physicianNorm, $now, $now) RETURNING pk
                """);
            using var insertSeries = Command(connection,
                """
                INSERT INTO series (study_fk, series_instance_uid, modality, series_number, created_at)
                VALUES ($fk, $uid, $modality, $number, $now) RETURNING pk
                """);
            using var insertInstance = Command(connection,
                """
                INSERT INTO instances (series_fk, sop_instance_uid, sop_class_uid, instance_number, file_path, file_size, transfer_syntax_uid,
                    content_hash, received_at)
                VALUES ($fk, $uid, $class, $number, $path, 0, $syntax, '', $now)
                """);
            foreach (var row in rows)
            {
                if (!patients.TryGetValue(row.PatientId, out var patientPk))
                {
                    patientPk = Insert(insertPatient, transaction, ("$id", row.PatientId), ("$name", row.PatientName),
                        ("$norm", InstanceRecord.NormalizeName(row.PatientName)),
                        ("$ideographic", InstanceRecord.NormalizeName(InstanceRecord.NameGroup(row.PatientName, 1))),
                        ("$phonetic", InstanceRecord.NormalizeName(InstanceRecord.NameGroup(row.PatientName, 2))),
                        ("$birth", row.PatientBirthDate), ("$sex", row.PatientSex), ("$now", now));
                    patients.Add(row.PatientId, patientPk);
                }

                if (!studies.TryGetValue(row.StudyInstanceUid, out var studyPk))
                {
                    studyPk = Insert(insertStudy, transaction, ("$fk", patientPk), ("$uid", row.StudyInstanceUid), ("$date", row.StudyDate),
                        ("$time", row.StudyTime), ("$accession", row.AccessionNumber), ("$studyId", row.StudyId),
                        ("$description", row.StudyDescription), ("$physician", row.ReferringPhysicianName),
                        ("$physicianNorm", InstanceRecord.NormalizeName(row.ReferringPhysicianName)), ("$now", now));
                    studies.Add(row.StudyInstanceUid, studyPk);
                }

                if (!series.TryGetValue(row.SeriesInstanceUid, out var seriesPk))
                {
                    seriesPk = Insert(insertSeries, transaction, ("$fk", studyPk), ("$uid", row.SeriesInstanceUid), ("$modality", row.Modality),
                        ("$number", (object?)row.SeriesNumber ?? DBNull.Value), ("$now", now));
                    series.Add(row.SeriesInstanceUid, seriesPk);
                }

                Insert(insertInstance, transaction, ("$fk", seriesPk), ("$uid", row.SopInstanceUid), ("$class", row.SopClassUid),
                    ("$number", (object?)row.InstanceNumber ?? DBNull.Value), ("$path", row.FilePath), ("$syntax", row.TransferSyntaxUid),
                    ("$now", now));
                if (++count % batchSize == 0)
                {
                    transaction.Commit();
                    transaction.Dispose();
                    transaction = connection.BeginTransaction();
                }
            }

            transaction.Commit();
        }
        finally
        {
            transaction.Dispose();
        }

        // Counts and ModalitiesInStudy (0008,0061) as the ingest path keeps them, in one set-based pass.
        using (var totals = connection.BeginTransaction())
        {
            Execute(connection,
                """
                UPDATE series SET number_of_instances = (SELECT count(*) FROM instances i WHERE i.series_fk = series.pk);
                UPDATE studies SET
                    number_of_series = (SELECT count(*) FROM series s WHERE s.study_fk = studies.pk),
                    number_of_instances = (SELECT coalesce(sum(s.number_of_instances), 0) FROM series s WHERE s.study_fk = studies.pk),
                    modalities_in_study = coalesce((SELECT group_concat(m, '\') FROM
                        (SELECT DISTINCT s.modality AS m FROM series s WHERE s.study_fk = studies.pk AND s.modality <> '' ORDER BY m)), '');
                """,
                totals);
            totals.Commit();
        }

        return count;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static long Insert(SqliteCommand command, SqliteTransaction transaction, params (string Name, object Value)[] values)
    {
        command.Transaction = transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in values)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.CommandText.Contains("RETURNING", StringComparison.Ordinal)
            ? (long)command.ExecuteScalar()!
            : command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
