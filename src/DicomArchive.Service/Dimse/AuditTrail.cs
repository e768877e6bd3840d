using System.Net;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Server;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Service.Dimse;

/// <summary>
/// The audit trail: who did what, when, with which outcome — one structured event per store, query and retrieve,
/// under the category "DicomArchive.Audit" so that configuration can route it to its own file.
/// </summary>
internal sealed partial class AuditTrail(ILoggerFactory loggerFactory) : IAssociationObserver
{
    public const string Category = "DicomArchive.Audit";

    private readonly ILogger logger = loggerFactory.CreateLogger(Category);

    public void Store(DicomAssociationInfo association, string sopClassUid, string sopInstanceUid, ushort status, string? comment, bool duplicate) =>
        LogStore(logger, association.CallingAeTitle, association.CalledAeTitle, association.RemoteEndPoint?.ToString() ?? "", sopClassUid,
            sopInstanceUid, status, comment ?? "", duplicate);

    public void Query(DicomAssociationInfo association, string model, string level, string keys, int matches, ushort status) =>
        LogQuery(logger, association.CallingAeTitle, association.CalledAeTitle, association.RemoteEndPoint?.ToString() ?? "", model, level, keys,
            matches, status);

    public void AssociationAccepted(DicomAssociationInfo association)
    {
        ArgumentNullException.ThrowIfNull(association);
        var services = new List<string>();
        foreach (var context in association.PresentationContexts.Values)
        {
            if (context.IsAccepted && !services.Contains(context.AbstractSyntax))
            {
                services.Add(context.AbstractSyntax);
            }
        }

        LogAccepted(logger, association.CallingAeTitle, association.CalledAeTitle, association.RemoteEndPoint?.ToString() ?? "", services.Count);
    }

    public void AssociationRejected(string callingAeTitle, string calledAeTitle, EndPoint? remoteEndPoint, AAssociateRj reject, string? denialReason)
    {
        ArgumentNullException.ThrowIfNull(reject);
        LogRejected(logger, callingAeTitle, calledAeTitle, remoteEndPoint?.ToString() ?? "", (byte)reject.Result, (byte)reject.Source, reject.Reason,
            denialReason ?? reject.ToString());
    }

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information,
        Message = "ASSOCIATION ACCEPTED {CallingAe}->{CalledAe} from {RemoteAddress}: {AbstractSyntaxes} abstract syntaxes accepted")]
    private static partial void LogAccepted(ILogger logger, string callingAe, string calledAe, string remoteAddress, int abstractSyntaxes);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning,
        Message = "ASSOCIATION REJECTED {CallingAe}->{CalledAe} from {RemoteAddress}: result {Result} source {Source} reason {Reason} ({Why})")]
    private static partial void LogRejected(ILogger logger, string callingAe, string calledAe, string remoteAddress, byte result, byte source,
        byte reason, string why);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information,
        Message = "FIND {CallingAe}->{CalledAe} from {RemoteAddress}: {Model} {Level} [{Keys}] {Matches} matches, status {Status:X4}")]
    private static partial void LogQuery(ILogger logger, string callingAe, string calledAe, string remoteAddress, string model, string level,
        string keys, int matches, ushort status);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information,
        Message = "STORE {CallingAe}->{CalledAe} from {RemoteAddress}: {SopClassUid} {SopInstanceUid} status {Status:X4} {ErrorComment} duplicate={Duplicate}")]
    private static partial void LogStore(ILogger logger, string callingAe, string calledAe, string remoteAddress, string sopClassUid,
        string sopInstanceUid, ushort status, string errorComment, bool duplicate);
}
