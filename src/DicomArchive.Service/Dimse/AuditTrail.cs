using DicomArchive.Dicom.Network.Server;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Service.Dimse;

/// <summary>
/// The audit trail: who did what, when, with which outcome — one structured event per store, query and retrieve,
/// under the category "DicomArchive.Audit" so that configuration can route it to its own file.
/// </summary>
internal sealed partial class AuditTrail(ILoggerFactory loggerFactory)
{
    public const string Category = "DicomArchive.Audit";

    private readonly ILogger logger = loggerFactory.CreateLogger(Category);

    public void Store(DicomAssociationInfo association, string sopClassUid, string sopInstanceUid, ushort status, string? comment, bool duplicate) =>
        LogStore(logger, association.CallingAeTitle, association.CalledAeTitle, association.RemoteEndPoint?.ToString() ?? "", sopClassUid,
            sopInstanceUid, status, comment ?? "", duplicate);

    public void Query(DicomAssociationInfo association, string model, string level, string keys, int matches, ushort status) =>
        LogQuery(logger, association.CallingAeTitle, association.CalledAeTitle, association.RemoteEndPoint?.ToString() ?? "", model, level, keys,
            matches, status);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information,
        Message = "FIND {CallingAe}->{CalledAe} from {RemoteAddress}: {Model} {Level} [{Keys}] {Matches} matches, status {Status:X4}")]
    private static partial void LogQuery(ILogger logger, string callingAe, string calledAe, string remoteAddress, string model, string level,
        string keys, int matches, ushort status);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information,
        Message = "STORE {CallingAe}->{CalledAe} from {RemoteAddress}: {SopClassUid} {SopInstanceUid} status {Status:X4} {ErrorComment} duplicate={Duplicate}")]
    private static partial void LogStore(ILogger logger, string callingAe, string calledAe, string remoteAddress, string sopClassUid,
        string sopInstanceUid, ushort status, string errorComment, bool duplicate);
}
