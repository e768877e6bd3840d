using System.Buffers;
using System.Diagnostics;
using DicomArchive.Dicom.Network.Association;
using DicomArchive.Dicom.Network.Dimse;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>DIMSE request dispatch to the service handlers.</summary>
internal sealed partial class ServerAssociation
{
    /// <summary>Buffered C-FIND pending responses are sent once they reach this size ...</summary>
    const int PendingBatchBytes = 32 * 1024;

    /// <summary>... or once the oldest of them waited this long.</summary>
    static readonly TimeSpan PendingBatchAge = TimeSpan.FromMilliseconds(2);

    async Task DispatchAsync(AssociationChannel channel, byte contextId, DimseCommand command, CancellationToken abortToken)
    {
        PresentationContext context = channel.Contexts[contextId];
        PDataInputStream? dataSet = command.HasDataSet ? channel.OpenDataSet(contextId, _options.DimseTimeout, abortToken) : null;
        var request = new DimseRequest(_info!, context, command);
        switch (command.CommandField)
        {
            case DimseCommandField.CEchoRq:
                await DrainAsync(dataSet, abortToken).ConfigureAwait(false);
                DimseStatus echoStatus = _handlers.Echo is null
                    ? DimseStatus.Success
                    : await InvokeAsync("C-ECHO", () => _handlers.Echo.OnEchoAsync(request, abortToken), abortToken).ConfigureAwait(false);
                await RespondAsync(channel, contextId, command, echoStatus, abortToken).ConfigureAwait(false);
                break;
            case DimseCommandField.CStoreRq:
                await StoreAsync(channel, context, command, dataSet, abortToken).ConfigureAwait(false);
                break;
            case DimseCommandField.CFindRq when _handlers.Find is not null:
                await FindAsync(channel, request, dataSet, abortToken).ConfigureAwait(false);
                break;
            case DimseCommandField.CMoveRq when _handlers.Move is not null:
                await MoveAsync(channel, request, dataSet, abortToken).ConfigureAwait(false);
                break;
            case DimseCommandField.CGetRq when _handlers.Get is not null:
                await GetAsync(channel, request, dataSet, abortToken).ConfigureAwait(false);
                break;
            case DimseCommandField.NActionRq when _handlers.Action is not null:
                await ActionAsync(channel, context, command, dataSet, abortToken).ConfigureAwait(false);
                break;
            case DimseCommandField.NEventReportRq when _handlers.EventReport is not null:
                await EventReportAsync(channel, context, command, dataSet, abortToken).ConfigureAwait(false);
                break;
            case DimseCommandField.CCancelRq:
                // PS3.7 9.3.2.3: a C-CANCEL for an operation that already finished is ignored.
                await DrainAsync(dataSet, abortToken).ConfigureAwait(false);
                break;
            default:
                await DrainAsync(dataSet, abortToken).ConfigureAwait(false);
                if (!command.IsResponse)
                {
                    // PS3.7 C.5.12: unrecognized operation.
                    await RespondAsync(channel, contextId, command, DimseStatus.UnrecognizedOperation, abortToken).ConfigureAwait(false);
                }

                break;
        }
    }

    async Task StoreAsync(AssociationChannel channel, PresentationContext context, DimseCommand command, PDataInputStream? dataSet,
        CancellationToken abortToken)
    {
        DimseStatus status;
        if (dataSet is null)
        {
            // PS3.7 9.3.1.1: a C-STORE-RQ carries a data set.
            status = DimseStatus.CannotUnderstand;
        }
        else if (_handlers.Store is null || !string.Equals(context.AbstractSyntax, command.AffectedSopClassUid, StringComparison.Ordinal))
        {
            // PS3.7 9.3.1.1 / PS3.8 7.1.1.13: the SOP class must be the abstract syntax of the context it arrives on.
            status = DimseStatus.SopClassNotSupported;
        }
        else
        {
            var request = new StoreRequest(_info!, context, command);
            status = await InvokeAsync("C-STORE", () => _handlers.Store.OnStoreAsync(request, dataSet, abortToken), abortToken)
                .ConfigureAwait(false);
        }

        await DrainAsync(dataSet, abortToken).ConfigureAwait(false);
        await RespondAsync(channel, context.Id, command, status, abortToken).ConfigureAwait(false);
    }

    async Task FindAsync(AssociationChannel channel, DimseRequest request, PDataInputStream? dataSet, CancellationToken abortToken)
    {
        byte[] identifier = await ReadIdentifierAsync(channel, dataSet, abortToken).ConfigureAwait(false);
        DimseStatus final = DimseStatus.Success;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(abortToken);
        IAsyncEnumerator<FindResult>? results = null;
        try
        {
            results = _handlers.Find!.OnFindAsync(request, identifier, cancel.Token).GetAsyncEnumerator(cancel.Token);
            long oldestUnsent = 0;
            bool first = true;
            DimseCommand? pending = null;
            byte[]? pendingBytes = null;
            while (true)
            {
                ValueTask<bool> next = results.MoveNextAsync();
                if (!next.IsCompleted && oldestUnsent != 0)
                {
                    // The handler has to wait for its next match: what is buffered goes out now, not after it.
                    await channel.FlushAsync(abortToken).ConfigureAwait(false);
                    oldestUnsent = 0;
                }

                if (!await next.ConfigureAwait(false))
                {
                    break;
                }

                FindResult result = results.Current;
                if (!result.Status.IsPending)
                {
                    final = result.Status;
                    break;
                }

                // PS3.7 9.3.2.3: a C-CANCEL-RQ is looked for at the start of each batch of responses (the check costs
                // a system call; checking it per buffered response would only stop the handler a little earlier).
                if (oldestUnsent == 0 && await CancelRequestedAsync(channel, request, abortToken).ConfigureAwait(false))
                {
                    await cancel.CancelAsync().ConfigureAwait(false);
                    final = DimseStatus.Cancel;
                    break;
                }

                if (result.Identifier is not { } body)
                {
                    await channel.SendMessageAsync(request.PresentationContext.Id, DimseCommand.CreateResponse(request.Command, result.Status), null,
                        null, abortToken).ConfigureAwait(false);
                    oldestUnsent = 0;
                    continue;
                }

                // Pending responses are buffered and sent in batches (a response is a few hundred bytes; two socket
                // writes each cost more than building it): when the batch is large or old, or the handler has to wait.
                // They share one command set (PS3.7 9.3.2.2: only the status could differ), encoded once.
                if (pending is null || pending.Status != result.Status)
                {
                    pending = DimseCommand.CreateResponse(request.Command, result.Status);
                    pending.HasDataSet = true;
                    pendingBytes = DimseCommandCodec.Encode(pending);
                }

                channel.WriteMessage(request.PresentationContext.Id, pending, pendingBytes!, body.Span);
                long now = Stopwatch.GetTimestamp();
                if (oldestUnsent == 0)
                {
                    oldestUnsent = now;
                }

                // The first match goes out at once: the time to the first result is what a viewer's user sees.
                if (first || channel.UnsentBytes >= PendingBatchBytes || Stopwatch.GetElapsedTime(oldestUnsent, now) >= PendingBatchAge)
                {
                    first = false;
                    await channel.FlushAsync(abortToken).ConfigureAwait(false);
                    oldestUnsent = 0;
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !abortToken.IsCancellationRequested)
        {
            final = DimseStatus.Cancel;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DicomAbortException or IOException))
        {
            NetworkLog.HandlerFailed(_logger, ex, "C-FIND");
            final = new DimseStatus(0xA700);
        }
        finally
        {
            if (results is not null)
            {
                await results.DisposeAsync().ConfigureAwait(false);
            }
        }

        // The final response's send also sends any pending responses still buffered, in order.
        await RespondAsync(channel, request.PresentationContext.Id, request.Command, final, abortToken).ConfigureAwait(false);
    }

    async Task MoveAsync(AssociationChannel channel, DimseRequest request, PDataInputStream? dataSet, CancellationToken abortToken)
    {
        byte[] identifier = await ReadIdentifierAsync(channel, dataSet, abortToken).ConfigureAwait(false);
        await RetrieveAsync(channel, request,
            token => _handlers.Move!.OnMoveAsync(request, request.Command.MoveDestination ?? string.Empty, identifier, token), "C-MOVE",
            abortToken).ConfigureAwait(false);
    }

    async Task GetAsync(AssociationChannel channel, DimseRequest request, PDataInputStream? dataSet, CancellationToken abortToken)
    {
        byte[] identifier = await ReadIdentifierAsync(channel, dataSet, abortToken).ConfigureAwait(false);
        var sender = new GetSubOperationSender(channel, _options.DimseTimeout, request.MessageId);
        await RetrieveAsync(channel, request, token => _handlers.Get!.OnGetAsync(request, identifier, sender, token), "C-GET", abortToken,
            () => sender.CancelRequested).ConfigureAwait(false);
    }

    async Task RetrieveAsync(AssociationChannel channel, DimseRequest request, Func<CancellationToken, IAsyncEnumerable<RetrieveStatus>> start,
        string service, CancellationToken abortToken, Func<bool>? cancelSeen = null)
    {
        RetrieveStatus last = new(DimseStatus.Success, 0, 0, 0, 0);
        bool sawFinal = false;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(abortToken);
        try
        {
            await foreach (RetrieveStatus status in start(cancel.Token).ConfigureAwait(false))
            {
                last = status;
                if (!status.Status.IsPending)
                {
                    sawFinal = true;
                    break;
                }

                if (cancel.IsCancellationRequested)
                {
                    // After C-CANCEL the handler finishes the sub-operations in flight (several at once when a C-MOVE
                    // uses several associations) and yields its final counts; only the final response is sent.
                    continue;
                }

                if ((cancelSeen?.Invoke() ?? false) || await CancelRequestedAsync(channel, request, abortToken).ConfigureAwait(false))
                {
                    await cancel.CancelAsync().ConfigureAwait(false);
                    continue;
                }

                DimseCommand pending = RetrieveResponse(request.Command, status);
                await channel.SendMessageAsync(request.PresentationContext.Id, pending, null, null, abortToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !abortToken.IsCancellationRequested)
        {
            sawFinal = true;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DicomAbortException or IOException))
        {
            NetworkLog.HandlerFailed(_logger, ex, service);
            last = last with { Status = new DimseStatus(0xA701) };
            sawFinal = true;
        }

        if (cancel.IsCancellationRequested && !abortToken.IsCancellationRequested)
        {
            // PS3.4 C.4.2.3.1 / C.4.3.3.1: after C-CANCEL the final status is Cancel, whatever the handler ended with.
            last = last with { Status = DimseStatus.Cancel };
            sawFinal = true;
        }

        if (!sawFinal)
        {
            last = last with { Status = last.Failed > 0 || last.Warning > 0 ? DimseStatus.WarningB000 : DimseStatus.Success };
        }

        DimseCommand final = RetrieveResponse(request.Command, last);
        await channel.SendMessageAsync(request.PresentationContext.Id, final, last.Identifier, null, abortToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Between pending responses: reads a message that has arrived meanwhile. A C-CANCEL-RQ for this request (PS3.7
    /// 9.3.2.3) stops the operation; anything else is not allowed while an operation runs (asynchronous operations
    /// window 1, PS3.7 D.3.3.3) and is dropped.
    /// </summary>
    async ValueTask<bool> CancelRequestedAsync(AssociationChannel channel, DimseRequest request, CancellationToken abortToken)
    {
        while (channel.InputAvailable)
        {
            (byte ContextId, DimseCommand Command)? message = await channel.ReceiveCommandAsync(_options.DimseTimeout, abortToken)
                .ConfigureAwait(false);
            if (message is not { } m)
            {
                throw await channel.ProtocolErrorAsync(Pdus.AbortReason.UnexpectedPdu, "A-RELEASE-RQ while an operation runs")
                    .ConfigureAwait(false);
            }

            if (m.Command.HasDataSet)
            {
                await channel.OpenDataSet(m.ContextId, _options.DimseTimeout, abortToken).DrainAsync(abortToken).ConfigureAwait(false);
            }

            if (m.Command.CommandField == DimseCommandField.CCancelRq && m.Command.MessageIdBeingRespondedTo == request.MessageId)
            {
                return true;
            }
        }

        return false;
    }

    static DimseCommand RetrieveResponse(DimseCommand request, RetrieveStatus status)
    {
        DimseCommand response = DimseCommand.CreateResponse(request, status.Status);

        // PS3.4 C.4.2.1.6: the remaining count is sent with pending responses; C.4.2.3.1 / C.4.3.3.1: a Cancel response
        // may carry it too, as the number of sub-operations never started.
        response.RemainingSuboperations = status.Status.IsPending ? status.Remaining
            : status.Status.Code == DimseStatus.Cancel.Code && status.Remaining > 0 ? status.Remaining
            : null;
        response.CompletedSuboperations = status.Completed;
        response.FailedSuboperations = status.Failed;
        response.WarningSuboperations = status.Warning;
        return response;
    }

    async Task<byte[]> ReadIdentifierAsync(AssociationChannel channel, PDataInputStream? dataSet, CancellationToken abortToken,
        int limit = MaximumIdentifierLength)
    {
        if (dataSet is null)
        {
            return [];
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        while (true)
        {
            Memory<byte> memory = buffer.GetMemory(4096);
            int read = await dataSet.ReadAsync(memory, abortToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw await channel.ProtocolErrorAsync(Pdus.AbortReason.InvalidPduParameterValue, "Identifier larger than the limit")
                    .ConfigureAwait(false);
            }
        }
    }

    async Task<DimseStatus> InvokeAsync(string service, Func<ValueTask<DimseStatus>> handler, CancellationToken abortToken)
    {
        try
        {
            return await handler().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not DicomAbortException && !(ex is OperationCanceledException && abortToken.IsCancellationRequested))
        {
            // A handler failure is a failure status for this message; the association lives on (PS3.7 C.4.2).
            NetworkLog.HandlerFailed(_logger, ex, service);
            return DimseStatus.ProcessingFailure;
        }
    }

    static async Task DrainAsync(PDataInputStream? dataSet, CancellationToken abortToken)
    {
        if (dataSet is not null && !dataSet.IsComplete)
        {
            await dataSet.DrainAsync(abortToken).ConfigureAwait(false);
        }
    }

    static ValueTask RespondAsync(AssociationChannel channel, byte contextId, DimseCommand request, DimseStatus status,
        CancellationToken abortToken) =>
        channel.SendMessageAsync(contextId, DimseCommand.CreateResponse(request, status), null, null, abortToken);
}
