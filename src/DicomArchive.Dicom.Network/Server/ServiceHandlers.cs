using DicomArchive.Dicom.Network.Dimse;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>Verification service (C-ECHO, PS3.4 Annex A).</summary>
public interface IEchoHandler
{
    ValueTask<DimseStatus> OnEchoAsync(DimseRequest request, CancellationToken cancellationToken);
}

/// <summary>Storage service (C-STORE, PS3.4 Annex B).</summary>
public interface IStoreHandler
{
    /// <summary>
    /// Stores one instance. <paramref name="dataSet"/> reads the data set (in <see cref="DimseRequest.TransferSyntaxUid"/>,
    /// without a File Meta Information header) as its P-DATA fragments arrive; it is never collected whole in memory.
    /// Whatever the handler leaves unread is discarded. The returned status is sent in the C-STORE-RSP.
    /// </summary>
    ValueTask<DimseStatus> OnStoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken);
}

/// <summary>One C-FIND response: a pending status with a match, or the final status.</summary>
public readonly record struct FindResult(DimseStatus Status, ReadOnlyMemory<byte>? Identifier);

/// <summary>Query service (C-FIND, PS3.4 Annex C).</summary>
public interface IFindHandler
{
    /// <summary>
    /// Yields one pending result per match (identifier encoded in the request's transfer syntax); the server sends
    /// Success after the last unless a non-pending status was yielded. Cancelled when the peer sends C-CANCEL.
    /// </summary>
    IAsyncEnumerable<FindResult> OnFindAsync(DimseRequest request, ReadOnlyMemory<byte> identifier, CancellationToken cancellationToken);
}

/// <summary>Progress or final status of a C-MOVE or C-GET (PS3.4 C.4.2.1.6 / C.4.3.1.6).</summary>
public readonly record struct RetrieveStatus(DimseStatus Status, ushort Remaining, ushort Completed, ushort Failed, ushort Warning,
    ReadOnlyMemory<byte>? Identifier = null);

/// <summary>Retrieve service, C-MOVE (PS3.4 C.4.2).</summary>
public interface IMoveHandler
{
    /// <summary>Moves the matches to <paramref name="destinationAeTitle"/> over new associations, yielding progress.</summary>
    IAsyncEnumerable<RetrieveStatus> OnMoveAsync(DimseRequest request, string destinationAeTitle, ReadOnlyMemory<byte> identifier,
        CancellationToken cancellationToken);
}

/// <summary>Sends C-STORE sub-operations back on the association of a C-GET (PS3.4 C.4.3).</summary>
public interface IGetSubOperationSender
{
    /// <summary>Sends one instance; returns the status of the peer's C-STORE-RSP.</summary>
    ValueTask<DimseStatus> StoreAsync(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, Stream dataSet,
        CancellationToken cancellationToken);
}

/// <summary>Retrieve service, C-GET (PS3.4 C.4.3).</summary>
public interface IGetHandler
{
    IAsyncEnumerable<RetrieveStatus> OnGetAsync(DimseRequest request, ReadOnlyMemory<byte> identifier, IGetSubOperationSender sender,
        CancellationToken cancellationToken);
}

/// <summary>The service handlers a <see cref="DicomServer"/> dispatches to; a service without a handler is not offered.</summary>
public sealed class DicomServiceHandlers
{
    /// <summary>C-ECHO; when null the server answers C-ECHO with Success itself.</summary>
    public IEchoHandler? Echo { get; init; }

    public IStoreHandler? Store { get; init; }

    public IFindHandler? Find { get; init; }

    public IMoveHandler? Move { get; init; }

    public IGetHandler? Get { get; init; }

    /// <summary>N-ACTION (e.g. Storage Commitment Push Model as SCP).</summary>
    public IActionHandler? Action { get; init; }

    /// <summary>N-EVENT-REPORT received (e.g. Storage Commitment results, as the requester).</summary>
    public IEventReportHandler? EventReport { get; init; }
}
