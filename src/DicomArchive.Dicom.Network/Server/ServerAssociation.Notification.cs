using DicomArchive.Dicom.Network.Association;
using DicomArchive.Dicom.Network.Dimse;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>N-ACTION and N-EVENT-REPORT (PS3.7 10.1.4, 10.1.1), and event reports sent after an N-ACTION-RSP.</summary>
internal sealed partial class ServerAssociation : IEventReportScheduler
{
    /// <summary>Largest Action/Event Information accepted (a commitment request for a big study is a few hundred KB).</summary>
    const int MaximumNotificationLength = 16 * 1024 * 1024;

    readonly Queue<FollowUp> _followUps = new();
    byte _followUpContextId;
    ushort _nextMessageId = 1;

    sealed record FollowUp(byte ContextId, string TransferSyntaxUid, Func<string, CancellationToken, ValueTask<EventReport?>> Produce,
        Func<DimseStatus?, ValueTask> Completed);

    void IEventReportScheduler.Schedule(Func<string, CancellationToken, ValueTask<EventReport?>> produce, Func<DimseStatus?, ValueTask> completed)
    {
        ArgumentNullException.ThrowIfNull(produce);
        ArgumentNullException.ThrowIfNull(completed);
        PresentationContext context = _info!.PresentationContexts[_followUpContextId];
        _followUps.Enqueue(new FollowUp(context.Id, context.TransferSyntax ?? DicomNetworkUids.ImplicitVRLittleEndian, produce, completed));
    }

    async Task ActionAsync(AssociationChannel channel, PresentationContext context, DimseCommand command, PDataInputStream? dataSet,
        CancellationToken abortToken)
    {
        byte[] information = await ReadIdentifierAsync(channel, dataSet, abortToken, MaximumNotificationLength).ConfigureAwait(false);
        var request = new ActionRequest(_info!, context, command);
        ActionResult result;
        if (!string.Equals(context.AbstractSyntax, request.SopClassUid, StringComparison.Ordinal))
        {
            // PS3.7 10.1.4.1.10 / C.5.9: the requested SOP class must be that of the presentation context.
            result = new ActionResult(DimseStatus.SopClassNotSupported);
        }
        else
        {
            _followUpContextId = context.Id;
            try
            {
                result = await _handlers.Action!.OnActionAsync(request, information, this, abortToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not DicomAbortException && !(ex is OperationCanceledException && abortToken.IsCancellationRequested))
            {
                NetworkLog.HandlerFailed(_logger, ex, "N-ACTION");
                result = new ActionResult(DimseStatus.ProcessingFailure);
            }
        }

        DimseCommand response = DimseCommand.CreateResponse(command, result.Status);
        response.ActionTypeId = command.ActionTypeId;
        await channel.SendMessageAsync(context.Id, response, result.Status.IsFailure ? null : result.ActionReply, null, abortToken)
            .ConfigureAwait(false);
    }

    async Task EventReportAsync(AssociationChannel channel, PresentationContext context, DimseCommand command, PDataInputStream? dataSet,
        CancellationToken abortToken)
    {
        byte[] information = await ReadIdentifierAsync(channel, dataSet, abortToken, MaximumNotificationLength).ConfigureAwait(false);
        var request = new EventReportRequest(_info!, context, command);
        DimseStatus status = !string.Equals(context.AbstractSyntax, request.SopClassUid, StringComparison.Ordinal)
            ? DimseStatus.SopClassNotSupported
            : await InvokeAsync("N-EVENT-REPORT", () => _handlers.EventReport!.OnEventReportAsync(request, information, abortToken), abortToken)
                .ConfigureAwait(false);
        DimseCommand response = DimseCommand.CreateResponse(command, status);
        response.EventTypeId = command.EventTypeId;
        await channel.SendMessageAsync(context.Id, response, null, null, abortToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs what N-ACTION handlers scheduled (PS3.4 J.3.3: the report may go on the association of the request while it
    /// is open). Returns false when the peer released the association meanwhile (the release is answered here).
    /// </summary>
    async Task<bool> RunFollowUpsAsync(AssociationChannel channel, CancellationToken abortToken)
    {
        while (_followUps.TryDequeue(out FollowUp? followUp))
        {
            DimseStatus? outcome = null;
            bool open = true;
            try
            {
                (outcome, open) = await SendEventReportAsync(channel, followUp, abortToken).ConfigureAwait(false);
            }
            finally
            {
                try
                {
                    await followUp.Completed(outcome).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    NetworkLog.HandlerFailed(_logger, ex, "N-EVENT-REPORT completion");
                }
            }

            if (!open)
            {
                // Whatever else was scheduled cannot go on this association any more.
                while (_followUps.TryDequeue(out FollowUp? dropped))
                {
                    await dropped.Completed(null).ConfigureAwait(false);
                }

                return false;
            }
        }

        return true;
    }

    async Task<(DimseStatus? Status, bool Open)> SendEventReportAsync(AssociationChannel channel, FollowUp followUp, CancellationToken abortToken)
    {
        EventReport? report;
        try
        {
            report = await followUp.Produce(followUp.TransferSyntaxUid, abortToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not DicomAbortException && !(ex is OperationCanceledException && abortToken.IsCancellationRequested))
        {
            // The handler's failure is its own (it learns "not delivered"); the association lives on.
            NetworkLog.HandlerFailed(_logger, ex, "N-EVENT-REPORT");
            return (null, true);
        }

        if (report is null)
        {
            return (null, true);
        }

        // A request or a release that arrived meanwhile comes first; after a release the report cannot be sent here.
        while (channel.InputAvailable)
        {
            if (!await ServeOneAsync(channel, abortToken).ConfigureAwait(false))
            {
                return (null, false);
            }
        }

        ushort messageId = _nextMessageId++;
        DimseCommand request = DimseCommand.CreateEventReportRequest(messageId, report.SopClassUid, report.SopInstanceUid, report.EventTypeId);
        await channel.SendMessageAsync(followUp.ContextId, request, report.EventInformation, null, abortToken).ConfigureAwait(false);
        while (true)
        {
            (byte ContextId, DimseCommand Command)? message = await channel.ReceiveCommandAsync(_options.DimseTimeout, abortToken)
                .ConfigureAwait(false);
            if (message is not { } m)
            {
                // Released before answering: the report is not known to have arrived.
                await channel.AcceptReleaseAsync(abortToken).ConfigureAwait(false);
                NetworkLog.AssociationReleased(_logger);
                return (null, false);
            }

            if (m.Command.CommandField == DimseCommandField.NEventReportRsp && m.Command.MessageIdBeingRespondedTo == messageId)
            {
                if (m.Command.HasDataSet)
                {
                    await channel.OpenDataSet(m.ContextId, _options.DimseTimeout, abortToken).DrainAsync(abortToken).ConfigureAwait(false);
                }

                return (m.Command.Status ?? DimseStatus.ProcessingFailure, true);
            }

            await DispatchAsync(channel, m.ContextId, m.Command, abortToken).ConfigureAwait(false);
        }
    }

    /// <summary>Receives and serves one message; false when it was a release (answered).</summary>
    async Task<bool> ServeOneAsync(AssociationChannel channel, CancellationToken abortToken)
    {
        (byte ContextId, DimseCommand Command)? message = await channel.ReceiveCommandAsync(_options.IdleTimeout, abortToken).ConfigureAwait(false);
        if (message is not { } m)
        {
            await channel.AcceptReleaseAsync(abortToken).ConfigureAwait(false);
            NetworkLog.AssociationReleased(_logger);
            return false;
        }

        await DispatchAsync(channel, m.ContextId, m.Command, abortToken).ConfigureAwait(false);
        return true;
    }
}
