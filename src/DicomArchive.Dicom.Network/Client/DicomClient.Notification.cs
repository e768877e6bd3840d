using DicomArchive.Dicom.Network.Association;
using DicomArchive.Dicom.Network.Dimse;

namespace DicomArchive.Dicom.Network.Client;

/// <summary>An N-EVENT-REPORT-RQ received on a client association (PS3.7 10.1.1), already answered.</summary>
/// <param name="Command">The request command (Affected SOP Class/Instance UID, Event Type ID).</param>
/// <param name="TransferSyntaxUid">The transfer syntax of <paramref name="EventInformation"/>.</param>
/// <param name="EventInformation">The Event Information data set (empty when none was sent).</param>
public sealed record ReceivedEventReport(DimseCommand Command, string TransferSyntaxUid, ReadOnlyMemory<byte> EventInformation)
{
    public ushort EventTypeId => Command.EventTypeId ?? 0;
}

/// <summary>DIMSE-N on a client association: N-ACTION and N-EVENT-REPORT (PS3.7 10.1.1, 10.1.4).</summary>
public sealed partial class DicomClient
{
    /// <summary>
    /// Sends an N-ACTION-RQ (PS3.7 10.1.4) with the Action Information already encoded in the transfer syntax of the
    /// accepted context for <paramref name="sopClassUid"/>; returns the N-ACTION-RSP with its Action Reply, if any.
    /// </summary>
    /// <exception cref="InvalidOperationException">No context was accepted for the SOP class.</exception>
    public Task<DimseResponse> ActionAsync(string sopClassUid, string sopInstanceUid, ushort actionTypeId,
        ReadOnlyMemory<byte>? actionInformation, CancellationToken cancellationToken = default)
    {
        PresentationContext context = FindContext(sopClassUid)
            ?? throw new InvalidOperationException($"The peer did not accept {sopClassUid}");
        DimseCommand request = DimseCommand.CreateActionRequest(_nextMessageId++, sopClassUid, sopInstanceUid, actionTypeId);
        return RequestWithReplyAsync(context.Id, request, actionInformation, cancellationToken);
    }

    /// <summary>
    /// Sends an N-EVENT-REPORT-RQ (PS3.7 10.1.1), e.g. a Storage Commitment result on an association we opened as the
    /// SCP of the SOP class (PS3.4 J.3.3); returns the N-EVENT-REPORT-RSP.
    /// </summary>
    /// <exception cref="InvalidOperationException">No context was accepted for the SOP class.</exception>
    public Task<DimseResponse> EventReportAsync(string sopClassUid, string sopInstanceUid, ushort eventTypeId,
        ReadOnlyMemory<byte>? eventInformation, CancellationToken cancellationToken = default)
    {
        PresentationContext context = FindContext(sopClassUid)
            ?? throw new InvalidOperationException($"The peer did not accept {sopClassUid}");
        DimseCommand request = DimseCommand.CreateEventReportRequest(_nextMessageId++, sopClassUid, sopInstanceUid, eventTypeId);
        return RequestWithReplyAsync(context.Id, request, eventInformation, cancellationToken);
    }

    /// <summary>
    /// Waits (up to <paramref name="timeout"/>) for the peer's next N-EVENT-REPORT-RQ on this association, answers it with
    /// Success and returns it (PS3.4 J.3.3: a Storage Commitment result may come on the association of the request).
    /// </summary>
    /// <exception cref="DicomAbortException">The peer aborted, or nothing arrived in time (the association is aborted).</exception>
    public async Task<ReceivedEventReport> ReceiveEventReportAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        EnsureEstablished();
        while (true)
        {
            (byte ContextId, DimseCommand Command)? message = await _channel.ReceiveCommandAsync(timeout, cancellationToken).ConfigureAwait(false);
            if (message is not { } m)
            {
                throw await _channel.ProtocolErrorAsync(Pdus.AbortReason.UnexpectedPdu, "A-RELEASE-RQ from the acceptor").ConfigureAwait(false);
            }

            ReadOnlyMemory<byte> information = m.Command.HasDataSet ? await ReadDataSetAsync(m.ContextId).ConfigureAwait(false) : default;
            if (m.Command.CommandField != DimseCommandField.NEventReportRq)
            {
                continue;
            }

            DimseCommand response = DimseCommand.CreateResponse(m.Command, DimseStatus.Success);
            response.EventTypeId = m.Command.EventTypeId;
            await _channel.SendMessageAsync(m.ContextId, response, null, null, cancellationToken).ConfigureAwait(false);
            PresentationContext context = _channel.Contexts[m.ContextId];
            return new ReceivedEventReport(m.Command, context.TransferSyntax ?? DicomNetworkUids.ImplicitVRLittleEndian, information);
        }
    }

    async Task<DimseResponse> RequestWithReplyAsync(byte contextId, DimseCommand request, ReadOnlyMemory<byte>? dataSet,
        CancellationToken cancellationToken)
    {
        EnsureEstablished();
        await _channel.SendMessageAsync(contextId, request, dataSet, null, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            (byte ContextId, DimseCommand Command)? message = await _channel.ReceiveCommandAsync(_options.DimseTimeout, cancellationToken)
                .ConfigureAwait(false);
            if (message is not { } m)
            {
                throw await _channel.ProtocolErrorAsync(Pdus.AbortReason.UnexpectedPdu, "A-RELEASE-RQ from the acceptor").ConfigureAwait(false);
            }

            ReadOnlyMemory<byte>? reply = m.Command.HasDataSet ? await ReadDataSetAsync(m.ContextId).ConfigureAwait(false) : null;
            if (m.Command.IsResponse && m.Command.MessageIdBeingRespondedTo == request.MessageId)
            {
                return new DimseResponse(m.Command, reply);
            }
        }
    }
}
