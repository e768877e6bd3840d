using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Storage.Index;

/// <summary>
/// Writes one instance into the patient/study/series/instance tables inside the writer's transaction.
/// Policy for conflicting data (documented in docs/storage-layout.md): the first values indexed for a patient, study
/// or series are kept; an instance that disagrees (other demographics for a Patient ID, a study under another patient,
/// a series under another study) is still stored and indexed under the existing rows, and a warning is logged.
/// </summary>
/// <remarks>
/// One per writer connection: every statement is prepared once and reused with new parameter values, so an instance
/// costs a handful of sqlite3_step calls and no SQL parsing (the ingest hot path; see docs/performance.md).
/// Not thread-safe: the index writer is its only user.
/// </remarks>
internal sealed class InstanceRowWriter : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly ILogger logger;
    private readonly List<SqliteCommand> commands = [];

    private readonly SqliteCommand selectPatient;
    private readonly SqliteCommand insertPatient;
    private readonly SqliteCommand selectStudy;
    private readonly SqliteCommand insertStudy;
    private readonly SqliteCommand selectSeries;
    private readonly SqliteCommand insertSeries;
    private readonly SqliteCommand countNewSeries;
    private readonly SqliteCommand selectInstance;
    private readonly SqliteCommand insertInstance;
    private readonly SqliteCommand updateInstance;
    private readonly SqliteCommand adjustCounts;
    private readonly SqliteCommand selectModalities;
    private readonly SqliteCommand updateModalities;

    // Disagreements already logged (see FirstReport).
    private const int MaxRememberedReports = 4096;

    private readonly HashSet<string> reportedConflicts = new(StringComparer.Ordinal);

    // Series whose rows were committed (known) or written in the open transaction (pending: gone if it rolls back).
    private readonly Dictionary<string, KnownSeries> knownSeries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KnownSeries> pendingSeries = new(StringComparer.Ordinal);

    /// <summary>Known series kept at most (a bound, not a tuning: consecutive instances share a handful).</summary>
    private const int MaxKnownSeries = 1024;

    public InstanceRowWriter(SqliteConnection connection, ILogger logger)
    {
        this.connection = connection;
        this.logger = logger;
        selectPatient = Command(
            """
            SELECT pk, patient_name, patient_birth_date, patient_sex
            FROM patients WHERE patient_id = @PatientId AND issuer_of_patient_id = @IssuerOfPatientId
            """,
            "@PatientId", "@IssuerOfPatientId");
        insertPatient = Command(
            """
            INSERT INTO patients (patient_id, issuer_of_patient_id, patient_name, patient_name_norm, patient_name_ideographic_norm,
                patient_name_phonetic_norm, patient_birth_date, patient_sex, specific_character_set, created_at)
            VALUES (@PatientId, @IssuerOfPatientId, @PatientName, @norm, @ideographic, @phonetic, @PatientBirthDate, @PatientSex,
                @SpecificCharacterSet, @now)
            RETURNING pk
            """,
            "@PatientId", "@IssuerOfPatientId", "@PatientName", "@norm", "@ideographic", "@phonetic", "@PatientBirthDate", "@PatientSex",
            "@SpecificCharacterSet", "@now");
        selectStudy = Command(
            "SELECT pk, patient_fk FROM studies WHERE study_instance_uid = @StudyInstanceUid", "@StudyInstanceUid");
        insertStudy = Command(
            """
            INSERT INTO studies (patient_fk, study_instance_uid, study_date, study_time, accession_number, study_id, study_description,
                referring_physician_name, referring_physician_name_norm, specific_character_set, created_at, updated_at)
            VALUES (@patientPk, @StudyInstanceUid, @StudyDate, @StudyTime, @AccessionNumber, @StudyId, @StudyDescription,
                @ReferringPhysicianName, @norm, @SpecificCharacterSet, @now, @now)
            RETURNING pk
            """,
            "@patientPk", "@StudyInstanceUid", "@StudyDate", "@StudyTime", "@AccessionNumber", "@StudyId", "@StudyDescription",
            "@ReferringPhysicianName", "@norm", "@SpecificCharacterSet", "@now");
        selectSeries = Command(
            "SELECT pk, study_fk FROM series WHERE series_instance_uid = @SeriesInstanceUid", "@SeriesInstanceUid");
        insertSeries = Command(
            """
            INSERT INTO series (study_fk, series_instance_uid, modality, series_number, series_description, body_part_examined,
                series_date, series_time, created_at)
            VALUES (@studyPk, @SeriesInstanceUid, @Modality, @SeriesNumber, @SeriesDescription, @BodyPartExamined,
                @SeriesDate, @SeriesTime, @now)
            RETURNING pk
            """,
            "@studyPk", "@SeriesInstanceUid", "@Modality", "@SeriesNumber", "@SeriesDescription", "@BodyPartExamined",
            "@SeriesDate", "@SeriesTime", "@now");
        countNewSeries = Command("UPDATE studies SET number_of_series = number_of_series + 1 WHERE pk = @studyPk", "@studyPk");
        selectInstance = Command(
            "SELECT pk, series_fk, file_path FROM instances WHERE sop_instance_uid = @SopInstanceUid", "@SopInstanceUid");
        string[] instanceParameters =
        [
            "@seriesPk", "@SopInstanceUid", "@SopClassUid", "@InstanceNumber", "@FilePath", "@FileSize", "@TransferSyntaxUid", "@ContentHash",
            "@CallingAe", "@CalledAe", "@RemoteAddress", "@receivedAt", "@SpecificCharacterSet", "@pk",
        ];
        insertInstance = Command(
            """
            INSERT INTO instances (series_fk, sop_instance_uid, sop_class_uid, instance_number, file_path, file_size,
                transfer_syntax_uid, content_hash, calling_ae, called_ae, remote_address, received_at, specific_character_set)
            VALUES (@seriesPk, @SopInstanceUid, @SopClassUid, @InstanceNumber, @FilePath, @FileSize,
                @TransferSyntaxUid, @ContentHash, @CallingAe, @CalledAe, @RemoteAddress, @receivedAt, @SpecificCharacterSet)
            """,
            instanceParameters[..^1]);
        updateInstance = Command(
            """
            UPDATE instances SET series_fk = @seriesPk, sop_class_uid = @SopClassUid, instance_number = @InstanceNumber,
                file_path = @FilePath, file_size = @FileSize, transfer_syntax_uid = @TransferSyntaxUid, content_hash = @ContentHash,
                calling_ae = @CallingAe, called_ae = @CalledAe, remote_address = @RemoteAddress, received_at = @receivedAt,
                specific_character_set = @SpecificCharacterSet
            WHERE pk = @pk
            """,
            instanceParameters);
        adjustCounts = Command(
            """
            UPDATE series SET number_of_instances = number_of_instances + @delta WHERE pk = @seriesPk;
            UPDATE studies SET number_of_instances = number_of_instances + @delta
                WHERE pk = (SELECT study_fk FROM series WHERE pk = @seriesPk);
            """,
            "@delta", "@seriesPk");
        selectModalities = Command(
            "SELECT DISTINCT modality FROM series WHERE study_fk = @studyPk AND modality <> '' ORDER BY modality", "@studyPk");
        updateModalities = Command(
            "UPDATE studies SET modalities_in_study = @joined, updated_at = @now WHERE pk = @studyPk", "@joined", "@now", "@studyPk");
    }

    /// <summary>Writes the instance's rows in the writer's open transaction (see <see cref="WriterTransaction"/>).</summary>
    public IndexOutcome Write(InstanceRecord r, bool replace)
    {
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        long studyPk, seriesPk;
        var newSeries = false;
        if (TryKnownSeries(r, out var known))
        {
            (studyPk, seriesPk) = (known.StudyPk, known.SeriesPk);
        }
        else
        {
            var patient = UpsertPatient(r, now);
            (studyPk, var studyAgrees) = UpsertStudy(r, patient.Pk, now);
            (seriesPk, newSeries, var seriesAgrees) = UpsertSeries(r, studyPk, now);
            if (studyAgrees && seriesAgrees)
            {
                Remember(r, patient, studyPk, seriesPk);
            }
        }

        Set(selectInstance, "@SopInstanceUid", r.SopInstanceUid);
        long existingPk = 0, existingSeriesFk = 0;
        string? existingPath = null;
        using (var row = selectInstance.ExecuteReader())
        {
            if (row.Read())
            {
                existingPk = row.GetInt64(0);
                existingSeriesFk = row.GetInt64(1);
                existingPath = row.GetString(2);
            }
        }

        IndexOutcome outcome;
        if (existingPath is null)
        {
            SetInstance(insertInstance, r, seriesPk);
            insertInstance.ExecuteNonQuery();
            AdjustCounts(seriesPk, +1);
            outcome = new IndexOutcome(true);
        }
        else
        {
            if (!replace)
            {
                throw new InvalidOperationException($"SOP Instance {r.SopInstanceUid} is already indexed.");
            }

            SetInstance(updateInstance, r, seriesPk);
            Set(updateInstance, "@pk", existingPk);
            updateInstance.ExecuteNonQuery();
            if (existingSeriesFk != seriesPk)
            {
                AdjustCounts(existingSeriesFk, -1);
                AdjustCounts(seriesPk, +1);
            }

            outcome = new IndexOutcome(false, existingPath);
        }

        if (newSeries)
        {
            UpdateModalitiesInStudy(studyPk, now);
        }

        return outcome;
    }

    public void Dispose()
    {
        foreach (var command in commands)
        {
            command.Dispose();
        }

        commands.Clear();
    }

    private SqliteCommand Command(string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        commands.Add(command);
        return command;
    }

    private static void Set(SqliteCommand command, string name, object? value) =>
        command.Parameters[name].Value = value ?? DBNull.Value;

    private static void SetInstance(SqliteCommand command, InstanceRecord r, long seriesPk)
    {
        Set(command, "@seriesPk", seriesPk);
        Set(command, "@SopInstanceUid", r.SopInstanceUid);
        Set(command, "@SopClassUid", r.SopClassUid);
        Set(command, "@InstanceNumber", r.InstanceNumber);
        Set(command, "@FilePath", r.FilePath);
        Set(command, "@FileSize", r.FileSize);
        Set(command, "@TransferSyntaxUid", r.TransferSyntaxUid);
        Set(command, "@ContentHash", r.ContentHash);
        Set(command, "@CallingAe", r.CallingAe);
        Set(command, "@CalledAe", r.CalledAe);
        Set(command, "@RemoteAddress", r.RemoteAddress);
        Set(command, "@receivedAt", r.ReceivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Set(command, "@SpecificCharacterSet", r.SpecificCharacterSet);
    }

    /// <summary>The committed transaction's series are known from now on.</summary>
    public void TransactionCommitted()
    {
        if (knownSeries.Count + pendingSeries.Count > MaxKnownSeries)
        {
            knownSeries.Clear();
        }

        foreach (var (uid, entry) in pendingSeries)
        {
            knownSeries[uid] = entry;
        }

        pendingSeries.Clear();
    }

    /// <summary>Rows of the rolled-back transaction (or savepoint) may be gone: forget what it learnt.</summary>
    public void TransactionRolledBack() => pendingSeries.Clear();

    /// <summary>
    /// True the first time a disagreement (kind, the indexed row, what arrived) is seen: every instance of a study sent
    /// with a patient's other demographics disagrees alike, and one warning says it (per instance, a CT study logged
    /// hundreds of identical lines, and the logging cost about a seventh of a small C-STORE). Remembers up to
    /// <see cref="MaxRememberedReports"/> disagreements, then starts over.
    /// </summary>
    private bool FirstReport(string kind, long indexedPk, string arrived)
    {
        if (reportedConflicts.Count >= MaxRememberedReports)
        {
            reportedConflicts.Clear();
        }

        return reportedConflicts.Add(string.Create(CultureInfo.InvariantCulture, $"{kind}{indexedPk}\u001f{arrived}"));
    }

    /// <summary>Forgets every known series (after a change that is not an instance row: maintenance may delete rows).</summary>
    public void ForgetKnownSeries()
    {
        knownSeries.Clear();
        pendingSeries.Clear();
    }

    /// <summary>
    /// The patient, study and series rows of an instance of a series indexed recently, when the instance agrees with
    /// them (same study, same patient, demographics that would not draw a warning), so its own three lookups are not
    /// needed: consecutive instances mostly belong to a series seen a moment ago, and the lookups were about a fifth
    /// of the writer's statements per instance.
    /// </summary>
    private bool TryKnownSeries(InstanceRecord r, out KnownSeries known)
    {
        if (!pendingSeries.TryGetValue(r.SeriesInstanceUid, out known!) && !knownSeries.TryGetValue(r.SeriesInstanceUid, out known!))
        {
            return false;
        }

        return string.Equals(known.StudyInstanceUid, r.StudyInstanceUid, StringComparison.Ordinal)
            && string.Equals(known.PatientId, r.PatientId, StringComparison.Ordinal)
            && string.Equals(known.IssuerOfPatientId, r.IssuerOfPatientId, StringComparison.Ordinal)
            && !Differs(known.PatientName, r.PatientName)
            && !Differs(known.PatientBirthDate, r.PatientBirthDate)
            && !Differs(known.PatientSex, r.PatientSex);
    }

    private void Remember(InstanceRecord r, PatientRow patient, long studyPk, long seriesPk) =>
        pendingSeries[r.SeriesInstanceUid] = new KnownSeries(
            seriesPk, studyPk, r.StudyInstanceUid, r.PatientId, r.IssuerOfPatientId, patient.Name, patient.BirthDate, patient.Sex);

    private PatientRow UpsertPatient(InstanceRecord r, string now)
    {
        Set(selectPatient, "@PatientId", r.PatientId);
        Set(selectPatient, "@IssuerOfPatientId", r.IssuerOfPatientId);
        long pk;
        string name, birthDate, sex;
        using (var row = selectPatient.ExecuteReader())
        {
            if (!row.Read())
            {
                pk = 0;
                name = birthDate = sex = "";
            }
            else
            {
                pk = row.GetInt64(0);
                name = row.GetString(1);
                birthDate = row.GetString(2);
                sex = row.GetString(3);
            }
        }

        if (pk == 0)
        {
            Set(insertPatient, "@PatientId", r.PatientId);
            Set(insertPatient, "@IssuerOfPatientId", r.IssuerOfPatientId);
            Set(insertPatient, "@PatientName", r.PatientName);
            Set(insertPatient, "@norm", InstanceRecord.NormalizeName(r.PatientName));
            Set(insertPatient, "@ideographic", InstanceRecord.NormalizeName(InstanceRecord.NameGroup(r.PatientName, 1)));
            Set(insertPatient, "@phonetic", InstanceRecord.NormalizeName(InstanceRecord.NameGroup(r.PatientName, 2)));
            Set(insertPatient, "@PatientBirthDate", r.PatientBirthDate);
            Set(insertPatient, "@PatientSex", r.PatientSex);
            Set(insertPatient, "@SpecificCharacterSet", r.SpecificCharacterSet);
            Set(insertPatient, "@now", now);
            var newPk = Convert.ToInt64(insertPatient.ExecuteScalar(), CultureInfo.InvariantCulture);
            return new PatientRow(newPk, r.PatientName, r.PatientBirthDate, r.PatientSex);
        }

        if ((Differs(name, r.PatientName) || Differs(birthDate, r.PatientBirthDate) || Differs(sex, r.PatientSex))
            && FirstReport("P", pk, r.PatientName + "\u001f" + r.PatientBirthDate + "\u001f" + r.PatientSex))
        {
            StorageLog.PatientDemographicsDiffer(
                logger, r.PatientId, r.IssuerOfPatientId, r.PatientName, r.PatientBirthDate, r.PatientSex, name, birthDate, sex);
        }

        return new PatientRow(pk, name, birthDate, sex);
    }

    /// <summary>The study's pk, and whether it is (or now is) under <paramref name="patientPk"/>.</summary>
    private (long Pk, bool Agrees) UpsertStudy(InstanceRecord r, long patientPk, string now)
    {
        Set(selectStudy, "@StudyInstanceUid", r.StudyInstanceUid);
        var (pk, parentFk) = ReadParent(selectStudy);
        if (pk == 0)
        {
            Set(insertStudy, "@patientPk", patientPk);
            Set(insertStudy, "@StudyInstanceUid", r.StudyInstanceUid);
            Set(insertStudy, "@StudyDate", r.StudyDate);
            Set(insertStudy, "@StudyTime", r.StudyTime);
            Set(insertStudy, "@AccessionNumber", r.AccessionNumber);
            Set(insertStudy, "@StudyId", r.StudyId);
            Set(insertStudy, "@StudyDescription", r.StudyDescription);
            Set(insertStudy, "@ReferringPhysicianName", r.ReferringPhysicianName);
            Set(insertStudy, "@norm", InstanceRecord.NormalizeName(r.ReferringPhysicianName));
            Set(insertStudy, "@SpecificCharacterSet", r.SpecificCharacterSet);
            Set(insertStudy, "@now", now);
            return (Convert.ToInt64(insertStudy.ExecuteScalar(), CultureInfo.InvariantCulture), true);
        }

        if (parentFk != patientPk && FirstReport("S", pk, r.PatientId + "\u001f" + r.IssuerOfPatientId))
        {
            StorageLog.StudyUnderOtherPatient(logger, r.StudyInstanceUid, r.PatientId, r.IssuerOfPatientId);
            return (pk, false);
        }

        return (pk, true);
    }

    /// <summary>The series' pk, whether it was created, and whether it is (or now is) under <paramref name="studyPk"/>.</summary>
    private (long Pk, bool IsNew, bool Agrees) UpsertSeries(InstanceRecord r, long studyPk, string now)
    {
        Set(selectSeries, "@SeriesInstanceUid", r.SeriesInstanceUid);
        var (pk, parentFk) = ReadParent(selectSeries);
        if (pk == 0)
        {
            Set(insertSeries, "@studyPk", studyPk);
            Set(insertSeries, "@SeriesInstanceUid", r.SeriesInstanceUid);
            Set(insertSeries, "@Modality", r.Modality);
            Set(insertSeries, "@SeriesNumber", r.SeriesNumber);
            Set(insertSeries, "@SeriesDescription", r.SeriesDescription);
            Set(insertSeries, "@BodyPartExamined", r.BodyPartExamined);
            Set(insertSeries, "@SeriesDate", r.SeriesDate);
            Set(insertSeries, "@SeriesTime", r.SeriesTime);
            Set(insertSeries, "@now", now);
            var newPk = Convert.ToInt64(insertSeries.ExecuteScalar(), CultureInfo.InvariantCulture);
            Set(countNewSeries, "@studyPk", studyPk);
            countNewSeries.ExecuteNonQuery();
            return (newPk, true, true);
        }

        if (parentFk != studyPk && FirstReport("E", pk, r.StudyInstanceUid))
        {
            StorageLog.SeriesUnderOtherStudy(logger, r.SeriesInstanceUid, r.StudyInstanceUid);
            return (pk, false, false);
        }

        return (pk, false, true);
    }

    /// <summary>pk and parent foreign key of the row the command selects, or (0, 0) when there is none (pks start at 1).</summary>
    private static (long Pk, long ParentFk) ReadParent(SqliteCommand select)
    {
        using var row = select.ExecuteReader();
        return row.Read() ? (row.GetInt64(0), row.GetInt64(1)) : (0, 0);
    }

    /// <summary>Keeps series and study instance counts (NumberOfSeriesRelatedInstances, NumberOfStudyRelatedInstances) current.</summary>
    private void AdjustCounts(long seriesPk, int delta)
    {
        Set(adjustCounts, "@delta", delta);
        Set(adjustCounts, "@seriesPk", seriesPk);
        adjustCounts.ExecuteNonQuery();
    }

    /// <summary>ModalitiesInStudy (0008,0061): the distinct modalities of the study's series, backslash-separated, sorted.</summary>
    private void UpdateModalitiesInStudy(long studyPk, string now)
    {
        Set(selectModalities, "@studyPk", studyPk);
        var modalities = new List<string>();
        using (var row = selectModalities.ExecuteReader())
        {
            while (row.Read())
            {
                modalities.Add(row.GetString(0));
            }
        }

        Set(updateModalities, "@joined", string.Join('\\', modalities));
        Set(updateModalities, "@now", now);
        Set(updateModalities, "@studyPk", studyPk);
        updateModalities.ExecuteNonQuery();
    }

    private static bool Differs(string indexed, string received) =>
        indexed.Length > 0 && received.Length > 0 && !string.Equals(indexed, received, StringComparison.Ordinal);

    /// <summary>A patient row's pk and the demographics it was indexed with (kept from the first instance).</summary>
    private sealed record PatientRow(long Pk, string Name, string BirthDate, string Sex);

    /// <summary>The rows an instance of a known series belongs to, and what its patient row holds.</summary>
    private sealed record KnownSeries(
        long SeriesPk, long StudyPk, string StudyInstanceUid, string PatientId, string IssuerOfPatientId,
        string PatientName, string PatientBirthDate, string PatientSex);
}
