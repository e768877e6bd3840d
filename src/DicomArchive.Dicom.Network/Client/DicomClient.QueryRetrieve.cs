using System.Buffers;
using System.Runtime.CompilerServices;
using DicomArchive.Dicom.Network.Association;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Client;

/// <summary>C-FIND, C-MOVE and C-GET with C-CANCEL (PS3.7 9.1.2-9.1.4, 9.3.2.3).</summary>
public sealed partial class DicomClient
{
    /// <summary>Largest data set accepted in a C-FIND/C-MOVE/C-GET response (identifiers are small; bounds peer input).</summary>
    const int MaximumIdentifierLength = 4 * 1024 * 1024;

    /// <summary>
    /// Sends a C-FIND-RQ and yields every response, pending ones with their identifier, the final one last. Cancelling
    /// (or leaving the enumeration early) sends a C-CANCEL-RQ and reads the responses up to the final one.
    /// </summary>
    /// <param name="sopClassUid">The information model, e.g. Study Root Query/Retrieve - FIND.</param>
    /// <param name="identifier">The query keys, encoded in the accepted transfer syntax.</param>
    /// <param name="cancellationToken">Cancels the query (C-CANCEL).</param>
    public IAsyncEnumerable<DimseResponse> FindAsync(string sopClassUid, ReadOnlyMemory<byte> identifier,
        CancellationToken cancellationToken = default)
    {
        var request = new DimseCommand
        {
            CommandField = DimseCommandField.CFindRq,
            AffectedSopClassUid = sopClassUid,
            Priority = DimsePriority.Medium,
        };
        return OperationAsync(request, identifier, null, cancellationToken);
    }

    /// <summary>Sends a C-MOVE-RQ to <paramref name="destinationAeTitle"/> and yields the progress responses, the final one last.</summary>
    public IAsyncEnumerable<DimseResponse> MoveAsync(string sopClassUid, string destinationAeTitle, ReadOnlyMemory<byte> identifier,
        CancellationToken cancellationToken = default)
    {
        var request = new DimseCommand
        {
            CommandField = DimseCommandField.CMoveRq,
            AffectedSopClassUid = sopClassUid,
            Priority = DimsePriority.Medium,
            MoveDestination = destinationAeTitle,
        };
        return OperationAsync(request, identifier, null, cancellationToken);
    }

    /// <summary>
    /// Sends a C-GET-RQ and yields the progress responses; the instances arrive as C-STORE sub-operations on this
    /// association and are handed to <paramref name="storeHandler"/> (propose the SCP role for their storage classes
    /// with <see cref="DicomClientOptions.RoleSelections"/>, PS3.4 C.4.3).
    /// </summary>
    public IAsyncEnumerable<DimseResponse> GetAsync(string sopClassUid, ReadOnlyMemory<byte> identifier, IStoreHandler storeHandler,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storeHandler);
        var request = new DimseCommand
        {
            CommandField = DimseCommandField.CGetRq,
            AffectedSopClassUid = sopClassUid,
            Priority = DimsePriority.Medium,
        };
        return OperationAsync(request, identifier, storeHandler, cancellationToken);
    }

    async IAsyncEnumerable<DimseResponse> OperationAsync(DimseCommand request, ReadOnlyMemory<byte> identifier, IStoreHandler? storeHandler,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PresentationContext context = FindContext(request.AffectedSopClassUid!)
            ?? throw new InvalidOperationException($"The peer did not accept {request.AffectedSopClassUid}");
        EnsureEstablished();
        request.MessageId = _nextMessageId++;
        await _channel.SendMessageAsync(context.Id, request, identifier, null, cancellationToken).ConfigureAwait(false);
        bool final = false;
        bool cancelSent = false;
        try
        {
            while (!final)
            {
                if (cancellationToken.IsCancellationRequested && !cancelSent)
                {
                    await SendCancelAsync(context.Id, request.MessageId.Value).ConfigureAwait(false);
                    cancelSent = true;
                }

                DimseResponse? response = await NextResponseAsync(request, storeHandler).ConfigureAwait(false);
                if (response is null)
                {
                    continue;
                }

                final = !response.Status.IsPending;
                yield return response;
            }
        }
        finally
        {
            if (!final && !_channel.IsClosed)
            {
                // Left early: cancel the operation and read its remaining responses so the association stays usable.
                if (!cancelSent)
                {
                    await SendCancelAsync(context.Id, request.MessageId.Value).ConfigureAwait(false);
                }

                while (true)
                {
                    DimseResponse? response = await NextResponseAsync(request, storeHandler).ConfigureAwait(false);
                    if (response is not null && !response.Status.IsPending)
                    {
                        break;
                    }
                }
            }
        }
    }

    ValueTask SendCancelAsync(byte contextId, ushort messageId) =>
        _channel.SendMessageAsync(contextId, DimseCommand.CreateCancelRequest(messageId), null, null, CancellationToken.None);

    /// <summary>Reads the next message: a response to <paramref name="request"/>, or a C-STORE sub-operation (answered here, returns null).</summary>
    async Task<DimseResponse?> NextResponseAsync(DimseCommand request, IStoreHandler? storeHandler)
    {
        (byte ContextId, DimseCommand Command)? message = await _channel.ReceiveCommandAsync(_options.DimseTimeout, CancellationToken.None)
            .ConfigureAwait(false);
        if (message is not { } m)
        {
            throw await _channel.ProtocolErrorAsync(Pdus.AbortReason.UnexpectedPdu, "A-RELEASE-RQ from the acceptor").ConfigureAwait(false);
        }

        if (m.Command.CommandField == DimseCommandField.CStoreRq)
        {
            await StoreSubOperationAsync(m.ContextId, m.Command, storeHandler).ConfigureAwait(false);
            return null;
        }

        ReadOnlyMemory<byte>? dataSet = null;
        if (m.Command.HasDataSet)
        {
            dataSet = await ReadDataSetAsync(m.ContextId).ConfigureAwait(false);
        }

        return m.Command.IsResponse && m.Command.MessageIdBeingRespondedTo == request.MessageId
            ? new DimseResponse(m.Command, dataSet)
            : null;
    }

    async Task StoreSubOperationAsync(byte contextId, DimseCommand command, IStoreHandler? storeHandler)
    {
        PDataInputStream? dataSet = command.HasDataSet ? _channel.OpenDataSet(contextId, _options.DimseTimeout, CancellationToken.None) : null;
        DimseStatus status = DimseStatus.SopClassNotSupported;
        if (storeHandler is not null && dataSet is not null)
        {
            var info = new DicomAssociationInfo(_options.CallingAeTitle, _options.CalledAeTitle, null, _channel.Contexts);
            var request = new StoreRequest(info, _channel.Contexts[contextId], command);
            try
            {
                status = await storeHandler.OnStoreAsync(request, dataSet, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or DicomAbortException))
            {
                status = DimseStatus.ProcessingFailure;
            }
        }

        if (dataSet is not null && !dataSet.IsComplete)
        {
            await dataSet.DrainAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await _channel.SendMessageAsync(contextId, DimseCommand.CreateResponse(command, status), null, null, CancellationToken.None)
            .ConfigureAwait(false);
    }

    async Task<byte[]> ReadDataSetAsync(byte contextId)
    {
        PDataInputStream stream = _channel.OpenDataSet(contextId, _options.DimseTimeout, CancellationToken.None);
        var buffer = new ArrayBufferWriter<byte>(1024);
        while (true)
        {
            int read = await stream.ReadAsync(buffer.GetMemory(4096), CancellationToken.None).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaximumIdentifierLength)
            {
                throw await _channel.ProtocolErrorAsync(Pdus.AbortReason.InvalidPduParameterValue, "Response data set larger than the limit")
                    .ConfigureAwait(false);
            }
        }
    }
}
