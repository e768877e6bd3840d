using Microsoft.Extensions.Logging;

namespace DicomArchive.Storage;

/// <summary>Log messages of the storage layer (event ids 4000-4099, never reused).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(4000, LogLevel.Debug, "Stored {SopInstanceUid} from {CallingAe} as {Path} ({Size} bytes)")]
    public static partial void Stored(ILogger logger, string sopInstanceUid, string callingAe, string path, long size);

    [LoggerMessage(4001, LogLevel.Warning, "Store of {SopInstanceUid} from {CallingAe} refused with status {Status:X4}: {Reason}")]
    public static partial void StoreRefused(ILogger logger, string sopInstanceUid, string callingAe, ushort status, string reason);

    [LoggerMessage(4002, LogLevel.Error, "Store of {SopInstanceUid} from {CallingAe} failed")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string sopInstanceUid, string callingAe);

    [LoggerMessage(4003, LogLevel.Information, "Duplicate {SopInstanceUid} from {CallingAe}: {Action}")]
    public static partial void Duplicate(ILogger logger, string sopInstanceUid, string callingAe, string action);

    [LoggerMessage(4004, LogLevel.Warning, "Free disk space {Available} bytes on {Root} is below the threshold {Threshold}; stores are refused")]
    public static partial void DiskLow(ILogger logger, long available, string root, long threshold);

    [LoggerMessage(4010, LogLevel.Warning,
        "Patient ID '{PatientId}' (issuer '{Issuer}') arrived with other demographics (name '{NewName}', birth date '{NewBirthDate}', " +
        "sex '{NewSex}') than indexed (name '{OldName}', birth date '{OldBirthDate}', sex '{OldSex}'); the indexed ones are kept")]
    public static partial void PatientDemographicsDiffer(
        ILogger logger, string patientId, string issuer, string newName, string newBirthDate, string newSex, string oldName, string oldBirthDate, string oldSex);

    [LoggerMessage(4011, LogLevel.Warning,
        "Study {StudyInstanceUid} arrived under patient ID '{PatientId}' (issuer '{Issuer}') but is indexed under another patient; it stays there")]
    public static partial void StudyUnderOtherPatient(ILogger logger, string studyInstanceUid, string patientId, string issuer);

    [LoggerMessage(4012, LogLevel.Warning,
        "Series {SeriesInstanceUid} arrived in study {StudyInstanceUid} but is indexed in another study; it stays there")]
    public static partial void SeriesUnderOtherStudy(ILogger logger, string seriesInstanceUid, string studyInstanceUid);

    [LoggerMessage(4020, LogLevel.Information, "Removed {Count} leftover temporary files from {Folder}")]
    public static partial void TempFilesRemoved(ILogger logger, int count, string folder);

    [LoggerMessage(4021, LogLevel.Warning, "Indexed {Path}, a stored file that had no index row")]
    public static partial void UnindexedFileIndexed(ILogger logger, string path);

    [LoggerMessage(4022, LogLevel.Warning, "Cannot index {Path}: {Reason}")]
    public static partial void FileNotIndexable(ILogger logger, string path, string reason);

    [LoggerMessage(4023, LogLevel.Information, "Index {Path} at schema version {Version} (was {Previous})")]
    public static partial void IndexOpened(ILogger logger, string path, int version, int previous);

    [LoggerMessage(4024, LogLevel.Warning, "Cannot delete {Path}")]
    public static partial void DeleteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(4025, LogLevel.Warning, "Index checkpoint failed (retried in a second)")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(4060, LogLevel.Warning, "Storage commitment: {SopInstanceUid} cannot be read at {Path}: {Reason}")]
    public static partial void CommitmentFileUnreadable(ILogger logger, string sopInstanceUid, string path, string reason);

    [LoggerMessage(4061, LogLevel.Error, "Storage commitment: {SopInstanceUid} at {Path} no longer matches its stored content hash")]
    public static partial void CommitmentHashMismatch(ILogger logger, string sopInstanceUid, string path);
}
