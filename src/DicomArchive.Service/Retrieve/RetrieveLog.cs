using Microsoft.Extensions.Logging;

namespace DicomArchive.Service.Retrieve;

/// <summary>Log messages of C-MOVE and C-GET.</summary>
internal static partial class RetrieveLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "C-MOVE to unknown destination {Destination} refused (0xA801); to allow it, add an Archive:Peers entry with AeTitle={Destination}, Host and Port (e.g. --Archive:Peers:0:AeTitle={Destination} --Archive:Peers:0:Host=<address> --Archive:Peers:0:Port=<port>)")]
    public static partial void UnknownDestination(ILogger logger, string destination);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "C-MOVE destination {Destination} ({Host}:{Port}) cannot be reached or refused the association (0xA702): {Reason}")]
    public static partial void DestinationUnreachable(ILogger logger, Exception exception, string destination, string host, int port, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning,
        Message = "Sub-operation for {SopInstanceUid} failed: {Peer} accepted no transfer syntax it can be sent in for {SopClassUid} (stored in {TransferSyntaxUid}; compressed data is not decoded)")]
    public static partial void NoAcceptedSyntax(ILogger logger, string sopInstanceUid, string sopClassUid, string transferSyntaxUid, string peer);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Sub-operation for {SopInstanceUid}: {Peer} answered {Status:X4} {ErrorComment}")]
    public static partial void SubOperationStatus(ILogger logger, string sopInstanceUid, string peer, ushort status, string errorComment);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Sub-operation for {SopInstanceUid} failed: the stored file {Path} cannot be read")]
    public static partial void SourceUnreadable(ILogger logger, Exception exception, string sopInstanceUid, string path);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning,
        Message = "Association to {Peer} failed during a sub-operation ({Reason}); the {Remaining} remaining sub-operations fail")]
    public static partial void AssociationLost(ILogger logger, string peer, string reason, int remaining);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning,
        Message = "Association {Number} of a C-MOVE to {Peer} failed during a sub-operation ({Reason}); that sub-operation fails, the rest go on over the move's other associations if any")]
    public static partial void OneAssociationLost(ILogger logger, string peer, int number, string reason);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information,
        Message = "Extra association {Number} of a C-MOVE to {Peer} not opened ({Reason}); the move goes on over the others")]
    public static partial void ExtraAssociationNotOpened(ILogger logger, string peer, int number, string reason);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Debug,
        Message = "Extra association {Number} of a C-MOVE to {Peer} abandoned while being opened: no instance left to send or the move was cancelled")]
    public static partial void ExtraAssociationNotNeeded(ILogger logger, string peer, int number);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug,
        Message = "No free association slot to {Peer} for extra association {Number} of a C-MOVE (Peers[i].MaxAssociations); the move goes on over fewer")]
    public static partial void NoSlotForExtraAssociation(ILogger logger, string peer, int number);
}
