using System.Net;
using DicomArchive.Dicom.Network.Pdus;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Dicom.Network;

/// <summary>
/// Log messages of the network layer (source generated). Event IDs are never reused or repurposed. Per-PDU at Trace,
/// association lifecycle at Debug, aborts and timeouts at Warning.
/// </summary>
internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "DICOM server {AeTitle} listening on {EndPoint}")]
    public static partial void ListenerStarted(ILogger logger, string aeTitle, EndPoint? endPoint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "DICOM server stopped")]
    public static partial void ListenerStopped(ILogger logger);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Accepting a connection failed; retrying after {Delay}")]
    public static partial void AcceptFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Connection from {RemoteEndPoint}")]
    public static partial void ConnectionOpened(ILogger logger, EndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Connection closed")]
    public static partial void ConnectionClosed(ILogger logger);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug,
        Message = "Association accepted: {CallingAe} -> {CalledAe}, {Accepted} of {Proposed} presentation contexts, peer max PDU {PeerMaxPdu}")]
    public static partial void AssociationAccepted(ILogger logger, string callingAe, string calledAe, int accepted, int proposed, uint peerMaxPdu);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Association rejected: {CallingAe} -> {CalledAe}: {Reject}")]
    public static partial void AssociationRejected(ILogger logger, string callingAe, string calledAe, AAssociateRj reject);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "Association released")]
    public static partial void AssociationReleased(ILogger logger);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Association aborted by us ({Source}, {Reason}): {Detail}")]
    public static partial void AbortSent(ILogger logger, AbortSource source, AbortReason reason, string detail);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Association aborted by the peer ({Source}, {Reason})")]
    public static partial void AbortReceived(ILogger logger, AbortSource source, AbortReason reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Association timed out: {Detail}")]
    public static partial void TimedOut(ILogger logger, string detail);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Connection lost: {Detail}")]
    public static partial void ConnectionLost(ILogger logger, string detail);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Trace, Message = "<- {PduType} ({Length} bytes)")]
    public static partial void PduReceived(ILogger logger, PduType pduType, int length);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Trace, Message = "-> {PduType} ({Length} bytes)")]
    public static partial void PduSent(ILogger logger, PduType pduType, int length);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Trace, Message = "<- {Command} on context {ContextId}")]
    public static partial void DimseReceived(ILogger logger, Dimse.DimseCommand command, byte contextId);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Trace, Message = "-> {Command} on context {ContextId}")]
    public static partial void DimseSent(ILogger logger, Dimse.DimseCommand command, byte contextId);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Error, Message = "The {Service} handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string service);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Error, Message = "An association ended on an unexpected error")]
    public static partial void AssociationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Warning, Message = "Stopping: aborting {Count} associations still running")]
    public static partial void AbortingOnStop(ILogger logger, int count);
}
