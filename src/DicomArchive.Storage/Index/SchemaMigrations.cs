using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Index;

/// <summary>
/// The index schema as forward-only migrations: migration N brings PRAGMA user_version from N-1 to N, inside one
/// transaction with the version bump, so a crash leaves either the old or the new schema. Never edit a shipped
/// migration; add the next one.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>Migration scripts, index 0 = version 1.</summary>
    private static readonly string[] Scripts =
    [
        // Version 1: the patient/study/series/instance hierarchy. Text columns hold DICOM values as decoded text with
        // padding removed; DA/TM values keep their DICOM form (YYYYMMDD, HHMMSS.FFFFFF), which sorts and range-compares
        // correctly as text. *_norm columns hold person names upper-cased (invariant) for case-insensitive matching.
        """
        CREATE TABLE patients (
            pk                    INTEGER PRIMARY KEY,
            patient_id            TEXT NOT NULL,
            issuer_of_patient_id  TEXT NOT NULL DEFAULT '',
            patient_name          TEXT NOT NULL DEFAULT '',
            patient_name_norm     TEXT NOT NULL DEFAULT '',
            patient_birth_date    TEXT NOT NULL DEFAULT '',
            patient_sex           TEXT NOT NULL DEFAULT '',
            specific_character_set TEXT NOT NULL DEFAULT '',
            created_at            TEXT NOT NULL,
            UNIQUE (patient_id, issuer_of_patient_id)
        );
        CREATE INDEX ix_patients_name_norm ON patients (patient_name_norm);

        CREATE TABLE studies (
            pk                    INTEGER PRIMARY KEY,
            patient_fk            INTEGER NOT NULL REFERENCES patients (pk),
            study_instance_uid    TEXT NOT NULL UNIQUE,
            study_date            TEXT NOT NULL DEFAULT '',
            study_time            TEXT NOT NULL DEFAULT '',
            accession_number      TEXT NOT NULL DEFAULT '',
            study_id              TEXT NOT NULL DEFAULT '',
            study_description     TEXT NOT NULL DEFAULT '',
            referring_physician_name      TEXT NOT NULL DEFAULT '',
            referring_physician_name_norm TEXT NOT NULL DEFAULT '',
            modalities_in_study   TEXT NOT NULL DEFAULT '',
            number_of_series      INTEGER NOT NULL DEFAULT 0,
            number_of_instances   INTEGER NOT NULL DEFAULT 0,
            specific_character_set TEXT NOT NULL DEFAULT '',
            created_at            TEXT NOT NULL,
            updated_at            TEXT NOT NULL
        );
        CREATE INDEX ix_studies_patient ON studies (patient_fk);
        CREATE INDEX ix_studies_date_time ON studies (study_date, study_time);
        CREATE INDEX ix_studies_accession ON studies (accession_number);

        CREATE TABLE series (
            pk                    INTEGER PRIMARY KEY,
            study_fk              INTEGER NOT NULL REFERENCES studies (pk),
            series_instance_uid   TEXT NOT NULL UNIQUE,
            modality              TEXT NOT NULL DEFAULT '',
            series_number         INTEGER,
            series_description    TEXT NOT NULL DEFAULT '',
            body_part_examined    TEXT NOT NULL DEFAULT '',
            series_date           TEXT NOT NULL DEFAULT '',
            series_time           TEXT NOT NULL DEFAULT '',
            number_of_instances   INTEGER NOT NULL DEFAULT 0,
            created_at            TEXT NOT NULL
        );
        CREATE INDEX ix_series_study ON series (study_fk);
        CREATE INDEX ix_series_modality ON series (modality);

        CREATE TABLE instances (
            pk                    INTEGER PRIMARY KEY,
            series_fk             INTEGER NOT NULL REFERENCES series (pk),
            sop_instance_uid      TEXT NOT NULL UNIQUE,
            sop_class_uid         TEXT NOT NULL,
            instance_number       INTEGER,
            file_path             TEXT NOT NULL UNIQUE,
            file_size             INTEGER NOT NULL,
            transfer_syntax_uid   TEXT NOT NULL,
            sha256                TEXT NOT NULL,
            calling_ae            TEXT NOT NULL DEFAULT '',
            called_ae             TEXT NOT NULL DEFAULT '',
            remote_address        TEXT NOT NULL DEFAULT '',
            received_at           TEXT NOT NULL,
            specific_character_set TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX ix_instances_series ON instances (series_fk);
        """,

        // Version 2 (query engine): the ideographic and phonetic component groups of PatientName (PS3.5 6.2.1.2),
        // upper-cased, in their own indexed columns, so a C-FIND name pattern matches any group (PS3.4 C.2.2.2.1)
        // and a prefix still uses an index. The alphabetic group is the prefix of patient_name_norm. Rows indexed
        // before this version are filled from patient_name_norm by splitting on '='.
        """
        ALTER TABLE patients ADD COLUMN patient_name_ideographic_norm TEXT NOT NULL DEFAULT '';
        ALTER TABLE patients ADD COLUMN patient_name_phonetic_norm TEXT NOT NULL DEFAULT '';
        UPDATE patients SET
            patient_name_ideographic_norm = CASE WHEN instr(patient_name_norm, '=') = 0 THEN '' ELSE
                CASE WHEN instr(substr(patient_name_norm, instr(patient_name_norm, '=') + 1), '=') = 0
                    THEN substr(patient_name_norm, instr(patient_name_norm, '=') + 1)
                    ELSE substr(patient_name_norm, instr(patient_name_norm, '=') + 1,
                        instr(substr(patient_name_norm, instr(patient_name_norm, '=') + 1), '=') - 1) END END,
            patient_name_phonetic_norm = CASE WHEN instr(patient_name_norm, '=') = 0 THEN '' ELSE
                CASE WHEN instr(substr(patient_name_norm, instr(patient_name_norm, '=') + 1), '=') = 0 THEN ''
                    ELSE substr(patient_name_norm, instr(patient_name_norm, '=') +
                        instr(substr(patient_name_norm, instr(patient_name_norm, '=') + 1), '=') + 1) END END
        WHERE instr(patient_name_norm, '=') > 0;
        CREATE INDEX ix_patients_name_ideographic_norm ON patients (patient_name_ideographic_norm);
        CREATE INDEX ix_patients_name_phonetic_norm ON patients (patient_name_phonetic_norm);
        """,

        // Version 3 (Storage Commitment Push Model, PS3.4 J.3): requests whose result has not been delivered yet, so a
        // restart still answers them. requested_items holds one "SOPClassUID<TAB>SOPInstanceUID" per line; times are
        // UTC ISO 8601 text (fixed width, so they compare as text). state: pending, delivered or expired.
        """
        CREATE TABLE storage_commitments (
            transaction_uid   TEXT PRIMARY KEY,
            calling_ae        TEXT NOT NULL,
            called_ae         TEXT NOT NULL DEFAULT '',
            requested_items   TEXT NOT NULL,
            state             TEXT NOT NULL DEFAULT 'pending',
            attempts          INTEGER NOT NULL DEFAULT 0,
            next_attempt_at   TEXT NOT NULL,
            expires_at        TEXT NOT NULL,
            received_at       TEXT NOT NULL,
            completed_at      TEXT,
            last_error        TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX ix_storage_commitments_due ON storage_commitments (state, next_attempt_at);
        """,

        // Version 4: the content hash became BLAKE3 ("blake3:" + hex, Files/ContentHash.cs). Rows written before keep
        // their bare SHA-256 hex value and are checked with SHA-256; only the column's name changes (no row rewrite).
        """
        ALTER TABLE instances RENAME COLUMN sha256 TO content_hash;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => Scripts.Length;

    /// <summary>Applies every migration above the database's user_version (up to <paramref name="targetVersion"/>, tests); returns the version before.</summary>
    /// <exception cref="InvalidOperationException">The database is newer than this build.</exception>
    public static int Migrate(SqliteConnection connection, int? targetVersion = null)
    {
        var current = GetVersion(connection);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The index schema version {current} is newer than this program supports ({LatestVersion}); upgrade the program.");
        }

        for (var version = current + 1; version <= (targetVersion ?? LatestVersion); version++)
        {
            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Scripts[version - 1] + $"\nPRAGMA user_version = {version};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return current;
    }

    public static int GetVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
