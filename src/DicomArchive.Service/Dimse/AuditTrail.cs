using System.Net;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Hosting;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Service.Dimse;

/// <summary>
/// The audit trail: who did what, when, with which outcome — one structured event per store, query and retrieve,
/// under the category "DicomArchive.Audit", written to the audit file (<see cref="AuditLog"/>) or, without one, to the
/// main log. Rejected associations are warnings and also reach the main log.
/// </summary>
internal sealed partial class AuditTrail(AuditLog auditLog, ILoggerFactory loggerFactory) : IAssociationObserver
{
    public const string Category = "DicomArchive.Audit";

    private readonly ILogger logger = auditLog.Factory.CreateLogger(Category);
    private readonly ILogger? mainLogger = auditLog.Separate ? loggerFactory.CreateLogger(Category) : null;

    public void Store(DicomAssociationInfo association, string sopClassUid, string sopInstanceUid, ushort status, string? comment, bool duplicate) =>
        LogStore(logger, association.CallingAeTitle, association.CalledAeTitle, association.RemoteAddress, sopClassUid,
            sopInstanceUid, status, comment ?? "", duplicate);

    public void Query(DicomAssociationInfo association, string model, string level, string keys, int matches, ushort status) =>
        LogQuery(logger, association.CallingAeTitle, association.CalledAeTitle, association.RemoteAddress, model, level, keys,
            matches, status);

    /// <summary>A C-MOVE (to <paramref name="destination"/>) or C-GET (back to the caller) and its sub-operation counts.</summary>
    public void Retrieve(DicomAssociationInfo association, string service, string destination, string model, string level, string keys, int instances,
        int completed, int failed, int warning, ushort status) =>
        LogRetrieve(logger, service, association.CallingAeTitle, association.CalledAeTitle, association.RemoteAddress, destination,
            model, level, keys, instances, completed, failed, warning, status);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information,
        Message = "{Service} {CallingAe}->{CalledAe} from {RemoteAddress} to {Destination}: {Model} {Level} [{Keys}] {Instances} instances, "
            + "{Completed} completed, {Failed} failed, {Warning} warning, status {Status:X4}")]
    private static partial void LogRetrieve(ILogger logger, string service, string callingAe, string calledAe, string remoteAddress, string destination,
        string model, string level, string keys, int instances, int completed, int failed, int warning, ushort status);

    /// <summary>A Storage Commitment request received (N-ACTION, PS3.4 J.3.2).</summary>
    public void CommitmentRequested(DicomAssociationInfo association, string transactionUid, int instances, ushort status) =>
        LogCommitmentRequested(logger, association.CallingAeTitle, association.CalledAeTitle, association.RemoteAddress,
            transactionUid, instances, status);

    /// <summary>A Storage Commitment result delivered (N-EVENT-REPORT, PS3.4 J.3.3), or given up on (expired).</summary>
    public void Commitment(string requesterAe, string transactionUid, string outcome, ushort eventType, int committed, int failed, string route,
        int attempts) =>
        LogCommitment(logger, requesterAe, transactionUid, outcome, eventType, committed, failed, route, attempts);

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information,
        Message = "COMMIT-REQUEST {CallingAe}->{CalledAe} from {RemoteAddress}: transaction {TransactionUid}, {Instances} instances, status {Status:X4}")]
    private static partial void LogCommitmentRequested(ILogger logger, string callingAe, string calledAe, string remoteAddress,
        string transactionUid, int instances, ushort status);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Information,
        Message = "COMMIT {RequesterAe}: transaction {TransactionUid} {Outcome}, event type {EventType}, {Committed} committed, {Failed} failed, via {Route} after {Attempts} attempts")]
    private static partial void LogCommitment(ILogger logger, string requesterAe, string transactionUid, string outcome, ushort eventType,
        int committed, int failed, string route, int attempts);

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

        LogAccepted(logger, association.CallingAeTitle, association.CalledAeTitle, association.RemoteAddress, services.Count);
    }

    public void AssociationRejected(string callingAeTitle, string calledAeTitle, EndPoint? remoteEndPoint, AAssociateRj reject, string? denialReason)
    {
        ArgumentNullException.ThrowIfNull(reject);
        var remote = remoteEndPoint?.ToString() ?? "";
        var why = denialReason ?? reject.ToString();
        LogRejected(logger, callingAeTitle, calledAeTitle, remote, (byte)reject.Result, (byte)reject.Source, reject.Reason, why);
        if (mainLogger is not null)
        {
            LogRejected(mainLogger, callingAeTitle, calledAeTitle, remote, (byte)reject.Result, (byte)reject.Source, reject.Reason, why);
        }
    }

    [LoggerMessage(EventId = 9020, Level = LogLevel.Information,
        Message = "ASSOCIATION ACCEPTED {CallingAe}->{CalledAe} from {RemoteAddress}: {AbstractSyntaxes} abstract syntaxes accepted")]
    private static partial void LogAccepted(ILogger logger, string callingAe, string calledAe, string remoteAddress, int abstractSyntaxes);

    [LoggerMessage(EventId = 9021, Level = LogLevel.Warning,
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
