using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Storage.Index;

/// <summary>
/// Writes one instance into the patient/study/series/instance tables inside the writer's transaction.
/// Policy for conflicting data (documented in docs/storage-layout.md): the first values indexed for a patient, study
/// or series are kept; an instance that disagrees (other demographics for a Patient ID, a study under another patient,
/// a series under another study) is still stored and indexed under the existing rows, and a warning is logged.
/// </summary>
internal static class InstanceRowWriter
{
    public static IndexOutcome Write(SqliteConnection connection, SqliteTransaction transaction, InstanceRecord r, bool replace, ILogger logger)
    {
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var patientPk = UpsertPatient(connection, transaction, r, now, logger);
        var studyPk = UpsertStudy(connection, transaction, r, patientPk, now, logger);
        var (seriesPk, newSeries) = UpsertSeries(connection, transaction, r, studyPk, now, logger);

        var existing = connection.QuerySingleOrDefault<ExistingRow>(
            "SELECT pk AS Pk, series_fk AS SeriesFk, file_path AS FilePath FROM instances WHERE sop_instance_uid = @SopInstanceUid",
            new { r.SopInstanceUid }, transaction);
        IndexOutcome outcome;
        if (existing is null)
        {
            connection.Execute(
                """
                INSERT INTO instances (series_fk, sop_instance_uid, sop_class_uid, instance_number, file_path, file_size,
                    transfer_syntax_uid, sha256, calling_ae, called_ae, remote_address, received_at, specific_character_set)
                VALUES (@seriesPk, @SopInstanceUid, @SopClassUid, @InstanceNumber, @FilePath, @FileSize,
                    @TransferSyntaxUid, @Sha256, @CallingAe, @CalledAe, @RemoteAddress, @receivedAt, @SpecificCharacterSet)
                """,
                Parameters(r, seriesPk), transaction);
            AdjustCounts(connection, transaction, seriesPk, +1);
            outcome = new IndexOutcome(true);
        }
        else
        {
            if (!replace)
            {
                throw new InvalidOperationException($"SOP Instance {r.SopInstanceUid} is already indexed.");
            }

            connection.Execute(
                """
                UPDATE instances SET series_fk = @seriesPk, sop_class_uid = @SopClassUid, instance_number = @InstanceNumber,
                    file_path = @FilePath, file_size = @FileSize, transfer_syntax_uid = @TransferSyntaxUid, sha256 = @Sha256,
                    calling_ae = @CallingAe, called_ae = @CalledAe, remote_address = @RemoteAddress, received_at = @receivedAt,
                    specific_character_set = @SpecificCharacterSet
                WHERE pk = @pk
                """,
                Parameters(r, seriesPk, existing.Pk), transaction);
            if (existing.SeriesFk != seriesPk)
            {
                AdjustCounts(connection, transaction, existing.SeriesFk, -1);
                AdjustCounts(connection, transaction, seriesPk, +1);
            }

            outcome = new IndexOutcome(false, existing.FilePath);
        }

        if (newSeries)
        {
            UpdateModalitiesInStudy(connection, transaction, studyPk, now);
        }

        return outcome;
    }

    private static DynamicParameters Parameters(InstanceRecord r, long seriesPk, long pk = 0)
    {
        var parameters = new DynamicParameters(r);
        parameters.Add("seriesPk", seriesPk);
        parameters.Add("pk", pk);
        parameters.Add("receivedAt", r.ReceivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        return parameters;
    }

    private static long UpsertPatient(SqliteConnection connection, SqliteTransaction transaction, InstanceRecord r, string now, ILogger logger)
    {
        var row = connection.QuerySingleOrDefault<PatientRow>(
            """
            SELECT pk AS Pk, patient_name AS Name, patient_birth_date AS BirthDate, patient_sex AS Sex
            FROM patients WHERE patient_id = @PatientId AND issuer_of_patient_id = @IssuerOfPatientId
            """,
            new { r.PatientId, r.IssuerOfPatientId }, transaction);
        if (row is null)
        {
            return connection.ExecuteScalar<long>(
                """
                INSERT INTO patients (patient_id, issuer_of_patient_id, patient_name, patient_name_norm, patient_name_ideographic_norm,
                    patient_name_phonetic_norm, patient_birth_date, patient_sex, specific_character_set, created_at)
                VALUES (@PatientId, @IssuerOfPatientId, @PatientName, @norm, @ideographic, @phonetic, @PatientBirthDate, @PatientSex,
                    @SpecificCharacterSet, @now)
                RETURNING pk
                """,
                new
                {
                    r.PatientId, r.IssuerOfPatientId, r.PatientName, norm = InstanceRecord.NormalizeName(r.PatientName),
                    ideographic = InstanceRecord.NormalizeName(InstanceRecord.NameGroup(r.PatientName, 1)),
                    phonetic = InstanceRecord.NormalizeName(InstanceRecord.NameGroup(r.PatientName, 2)),
                    r.PatientBirthDate, r.PatientSex, r.SpecificCharacterSet, now,
                },
                transaction);
        }

        if (Differs(row.Name, r.PatientName) || Differs(row.BirthDate, r.PatientBirthDate) || Differs(row.Sex, r.PatientSex))
        {
            StorageLog.PatientDemographicsDiffer(
                logger, r.PatientId, r.IssuerOfPatientId, r.PatientName, r.PatientBirthDate, r.PatientSex, row.Name, row.BirthDate, row.Sex);
        }

        return row.Pk;
    }

    private static long UpsertStudy(
        SqliteConnection connection, SqliteTransaction transaction, InstanceRecord r, long patientPk, string now, ILogger logger)
    {
        var row = connection.QuerySingleOrDefault<ParentRow>(
            "SELECT pk AS Pk, patient_fk AS ParentFk FROM studies WHERE study_instance_uid = @StudyInstanceUid",
            new { r.StudyInstanceUid }, transaction);
        if (row is null)
        {
            return connection.ExecuteScalar<long>(
                """
                INSERT INTO studies (patient_fk, study_instance_uid, study_date, study_time, accession_number, study_id, study_description,
                    referring_physician_name, referring_physician_name_norm, specific_character_set, created_at, updated_at)
                VALUES (@patientPk, @StudyInstanceUid, @StudyDate, @StudyTime, @AccessionNumber, @StudyId, @StudyDescription,
                    @ReferringPhysicianName, @norm, @SpecificCharacterSet, @now, @now)
                RETURNING pk
                """,
                new
                {
                    patientPk, r.StudyInstanceUid, r.StudyDate, r.StudyTime, r.AccessionNumber, r.StudyId, r.StudyDescription,
                    r.ReferringPhysicianName, norm = InstanceRecord.NormalizeName(r.ReferringPhysicianName), r.SpecificCharacterSet, now,
                },
                transaction);
        }

        if (row.ParentFk != patientPk)
        {
            StorageLog.StudyUnderOtherPatient(logger, r.StudyInstanceUid, r.PatientId, r.IssuerOfPatientId);
        }

        return row.Pk;
    }

    private static (long Pk, bool IsNew) UpsertSeries(
        SqliteConnection connection, SqliteTransaction transaction, InstanceRecord r, long studyPk, string now, ILogger logger)
    {
        var row = connection.QuerySingleOrDefault<ParentRow>(
            "SELECT pk AS Pk, study_fk AS ParentFk FROM series WHERE series_instance_uid = @SeriesInstanceUid",
            new { r.SeriesInstanceUid }, transaction);
        if (row is null)
        {
            var pk = connection.ExecuteScalar<long>(
                """
                INSERT INTO series (study_fk, series_instance_uid, modality, series_number, series_description, body_part_examined,
                    series_date, series_time, created_at)
                VALUES (@studyPk, @SeriesInstanceUid, @Modality, @SeriesNumber, @SeriesDescription, @BodyPartExamined,
                    @SeriesDate, @SeriesTime, @now)
                RETURNING pk
                """,
                new
                {
                    studyPk, r.SeriesInstanceUid, r.Modality, r.SeriesNumber, r.SeriesDescription, r.BodyPartExamined,
                    r.SeriesDate, r.SeriesTime, now,
                },
                transaction);
            connection.Execute("UPDATE studies SET number_of_series = number_of_series + 1 WHERE pk = @studyPk", new { studyPk }, transaction);
            return (pk, true);
        }

        if (row.ParentFk != studyPk)
        {
            StorageLog.SeriesUnderOtherStudy(logger, r.SeriesInstanceUid, r.StudyInstanceUid);
        }

        return (row.Pk, false);
    }

    /// <summary>Keeps series and study instance counts (NumberOfSeriesRelatedInstances, NumberOfStudyRelatedInstances) current.</summary>
    private static void AdjustCounts(SqliteConnection connection, SqliteTransaction transaction, long seriesPk, int delta) =>
        connection.Execute(
            """
            UPDATE series SET number_of_instances = number_of_instances + @delta WHERE pk = @seriesPk;
            UPDATE studies SET number_of_instances = number_of_instances + @delta
                WHERE pk = (SELECT study_fk FROM series WHERE pk = @seriesPk);
            """,
            new { seriesPk, delta }, transaction);

    /// <summary>ModalitiesInStudy (0008,0061): the distinct modalities of the study's series, backslash-separated, sorted.</summary>
    private static void UpdateModalitiesInStudy(SqliteConnection connection, SqliteTransaction transaction, long studyPk, string now)
    {
        var modalities = connection.Query<string>(
            "SELECT DISTINCT modality FROM series WHERE study_fk = @studyPk AND modality <> '' ORDER BY modality",
            new { studyPk }, transaction);
        connection.Execute(
            "UPDATE studies SET modalities_in_study = @joined, updated_at = @now WHERE pk = @studyPk",
            new { joined = string.Join('\\', modalities), now, studyPk }, transaction);
    }

    private static bool Differs(string indexed, string received) =>
        indexed.Length > 0 && received.Length > 0 && !string.Equals(indexed, received, StringComparison.Ordinal);

    private sealed class PatientRow
    {
        public long Pk { get; set; }
        public string Name { get; set; } = "";
        public string BirthDate { get; set; } = "";
        public string Sex { get; set; } = "";
    }

    private sealed class ParentRow
    {
        public long Pk { get; set; }
        public long ParentFk { get; set; }
    }

    private sealed class ExistingRow
    {
        public long Pk { get; set; }
        public long SeriesFk { get; set; }
        public string FilePath { get; set; } = "";
    }
}
