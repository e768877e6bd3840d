using System.Buffers;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Transport;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Dicom.Network.Association;

/// <summary>DIMSE message exchange over an established association (PS3.7 and PS3.8 Annex E).</summary>
internal sealed partial class AssociationChannel
{
    /// <summary>
    /// Reads the next presentation data value of an established association (DT-2 / AR-6). Returns null when the peer
    /// requested release (Evt12; the state machine is then in Sta8, or Sta9/Sta10 on a collision).
    /// </summary>
    /// <exception cref="DicomAbortException">The association ended (aborted by either side, timed out, or closed).</exception>
    public async ValueTask<PresentationDataValue?> ReadPdvAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (_pData is not null && _pdvIndex < _pData.Values.Count)
        {
            return _pData.Values[_pdvIndex++];
        }

        _pData = null;
        Pdu? pdu;
        try
        {
            pdu = await ReadPduAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is DicomAbortException or DicomContentException or TimeoutException or EndOfStreamException)
        {
            throw await FailAsync(ex).ConfigureAwait(false);
        }

        switch (pdu)
        {
            case PDataTf pData when Machine.State is AssociationState.Sta6 or AssociationState.Sta7:
                Machine.Handle(AssociationEvent.Evt10);
                foreach (PresentationDataValue pdv in pData.Values)
                {
                    if (!_contexts.TryGetValue(pdv.PresentationContextId, out PresentationContext? pc) || !pc.IsAccepted)
                    {
                        throw await ProtocolErrorAsync(AbortReason.InvalidPduParameterValue,
                            $"PDV on presentation context {pdv.PresentationContextId}, which was not accepted").ConfigureAwait(false);
                    }
                }

                _pData = pData;
                _pdvIndex = 1;
                return pData.Values[0];
            case AReleaseRq when Machine.State is AssociationState.Sta6 or AssociationState.Sta7:
                Machine.Handle(AssociationEvent.Evt12);
                return null;
            default:
                throw await UnexpectedPduAsync(pdu).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a PDU (or part of one) has arrived and not been read yet.</summary>
    public bool InputAvailable => (_pData is not null && _pdvIndex < _pData.Values.Count) || (!_closed && _connection.InputAvailable);

    /// <summary>
    /// Reads the command set of the next DIMSE message, fragment by fragment (PS3.8 E.2), bounded by
    /// <see cref="DimseCommandCodec.MaximumCommandLength"/>. Returns null when the peer requested release instead.
    /// </summary>
    /// <exception cref="DicomAbortException">The association ended, or the command was malformed (it is then aborted).</exception>
    public async ValueTask<(byte ContextId, DimseCommand Command)?> ReceiveCommandAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArrayBufferWriter<byte>? assembled = null;
        byte contextId = 0;
        while (true)
        {
            PresentationDataValue? next = await ReadPdvAsync(timeout, cancellationToken).ConfigureAwait(false);
            if (next is not { } pdv)
            {
                if (assembled is not null)
                {
                    throw await ProtocolErrorAsync(AbortReason.UnexpectedPdu, "A-RELEASE-RQ inside a command").ConfigureAwait(false);
                }

                return null;
            }

            if (!pdv.IsCommand)
            {
                throw await ProtocolErrorAsync(AbortReason.UnexpectedPduParameter, "Data set fragment where a command was expected")
                    .ConfigureAwait(false);
            }

            if (assembled is null)
            {
                contextId = pdv.PresentationContextId;
                if (pdv.IsLastFragment)
                {
                    return (contextId, await DecodeCommandAsync(pdv.Fragment.Span, contextId).ConfigureAwait(false));
                }

                assembled = new ArrayBufferWriter<byte>(Math.Max(256, pdv.Fragment.Length * 2));
            }
            else if (pdv.PresentationContextId != contextId)
            {
                throw await ProtocolErrorAsync(AbortReason.UnexpectedPduParameter, "Command fragments on two presentation contexts")
                    .ConfigureAwait(false);
            }

            if (assembled.WrittenCount + pdv.Fragment.Length > DimseCommandCodec.MaximumCommandLength)
            {
                throw await ProtocolErrorAsync(AbortReason.InvalidPduParameterValue, "Command set longer than the limit").ConfigureAwait(false);
            }

            assembled.Write(pdv.Fragment.Span);
            if (pdv.IsLastFragment)
            {
                return (contextId, await DecodeCommandAsync(assembled.WrittenSpan.ToArray(), contextId).ConfigureAwait(false));
            }
        }
    }

    ValueTask<DimseCommand> DecodeCommandAsync(ReadOnlySpan<byte> bytes, byte contextId)
    {
        DimseCommand command;
        try
        {
            command = DimseCommandCodec.Decode(bytes);
        }
        catch (DicomContentException ex)
        {
            return FailCommandAsync(ex);
        }

        if (_logger.IsEnabled(LogLevel.Trace))
        {
            NetworkLog.DimseReceived(_logger, command, contextId);
        }

        return ValueTask.FromResult(command);
    }

    async ValueTask<DimseCommand> FailCommandAsync(DicomContentException ex) =>
        throw await ProtocolErrorAsync(AbortReason.InvalidPduParameterValue, $"Malformed command set: {ex.Message}").ConfigureAwait(false);

    /// <summary>A stream over the data set fragments that follow a command on <paramref name="contextId"/>.</summary>
    public PDataInputStream OpenDataSet(byte contextId, TimeSpan? timeout, CancellationToken cancellationToken) =>
        new(this, contextId, timeout, cancellationToken);

    /// <summary>
    /// Sends a command, and its data set when given (P-DATA request primitives, DT-1 / AR-7). A peer that does not read
    /// for <see cref="SendTimeout"/> loses the association (the transport is closed: an A-ABORT could not be sent either).
    /// </summary>
    /// <exception cref="DicomAbortException">The send timed out or the transport failed; the association is closed.</exception>
    public async ValueTask SendMessageAsync(byte contextId, DimseCommand command, ReadOnlyMemory<byte>? dataSet, Stream? dataSetStream,
        CancellationToken cancellationToken)
    {
        Machine.Handle(AssociationEvent.Evt9);
        command.HasDataSet = dataSet is not null || dataSetStream is not null;
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            NetworkLog.DimseSent(_logger, command, contextId);
        }

        byte[] encoded = DimseCommandCodec.Encode(command);
        using var timeout = SendTimeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(SendTimeout, _time);
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        CancellationToken token = linked?.Token ?? cancellationToken;
        try
        {
            if (dataSet is null && dataSetStream is PositionalFileStream file)
            {
                await PDataSender.SendCommandAndFileAsync(_connection, contextId, encoded, file, PeerMaxPduLength, token).ConfigureAwait(false);
                return;
            }

            await PDataSender.SendAsync(_connection, contextId, isCommand: true, encoded, PeerMaxPduLength, token).ConfigureAwait(false);
            if (dataSet is { } bytes)
            {
                await PDataSender.SendAsync(_connection, contextId, isCommand: false, bytes, PeerMaxPduLength, token).ConfigureAwait(false);
            }
            else if (dataSetStream is not null)
            {
                await PDataSender.SendStreamAsync(_connection, contextId, dataSetStream, PeerMaxPduLength, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (timeout?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            throw await SendFailedAsync(ex).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw await SendFailedAsync(ex).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes a command and its data set as P-DATA-TF PDUs into the send buffer without sending them (DT-1 / AR-7): a
    /// sender of many small messages (C-FIND pending responses) calls <see cref="FlushAsync"/> when it would otherwise
    /// wait, so a hundred responses cost a few socket writes instead of two each. The next
    /// <see cref="SendMessageAsync"/> or <see cref="FlushAsync"/> sends what is buffered, in order.
    /// </summary>
    /// <param name="contextId">The presentation context.</param>
    /// <param name="command">The command, with <see cref="DimseCommand.HasDataSet"/> set.</param>
    /// <param name="encodedCommand">
    /// <paramref name="command"/> as <see cref="DimseCommandCodec.Encode"/> encodes it: pending responses of one
    /// operation share one command set, encoded once.
    /// </param>
    /// <param name="dataSet">The encoded data set.</param>
    public void WriteMessage(byte contextId, DimseCommand command, byte[] encodedCommand, ReadOnlySpan<byte> dataSet)
    {
        Machine.Handle(AssociationEvent.Evt9);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            NetworkLog.DimseSent(_logger, command, contextId);
        }

        WriteFragments(contextId, isCommand: true, encodedCommand);
        WriteFragments(contextId, isCommand: false, dataSet);
    }

    /// <summary>
    /// Closes the association after a send that timed out (an <see cref="OperationCanceledException"/> of the send
    /// timeout) or whose transport failed, and returns the exception to throw.
    /// </summary>
    async ValueTask<DicomAbortException> SendFailedAsync(Exception error)
    {
        bool timedOut = error is OperationCanceledException;
        if (timedOut)
        {
            NetworkLog.TimedOut(_logger, $"The peer did not read for {SendTimeout}");
        }
        else
        {
            NetworkLog.ConnectionLost(_logger, error.Message);
        }

        await CloseAsync().ConfigureAwait(false);
        return new DicomAbortException(AbortSource.ServiceProvider, AbortReason.NotSpecified,
            timedOut ? "Send timed out" : "Transport failed while sending", error);
    }

    /// <summary>Bytes written by <see cref="WriteMessage"/> and not sent yet.</summary>
    public long UnsentBytes => _connection.UnflushedBytes;

    /// <summary>Sends what <see cref="WriteMessage"/> buffered; a peer that does not read for <see cref="SendTimeout"/> loses the association.</summary>
    /// <exception cref="DicomAbortException">The send timed out or the transport failed; the association is closed.</exception>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        using var timeout = SendTimeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(SendTimeout, _time);
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _connection.FlushAsync(linked?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            throw await SendFailedAsync(ex).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw await SendFailedAsync(ex).ConfigureAwait(false);
        }
    }

    /// <summary>PS3.8 D.1, E.2: fragments that fit the peer's maximum length, the last one flagged.</summary>
    void WriteFragments(byte contextId, bool isCommand, ReadOnlySpan<byte> message)
    {
        int max = PDataSender.MaxFragmentLength(PeerMaxPduLength);
        int offset = 0;
        do
        {
            int count = Math.Min(max, message.Length - offset);
            _connection.WritePData(contextId, isCommand, offset + count == message.Length, message.Slice(offset, count));
            offset += count;
        }
        while (offset < message.Length);
    }

    /// <summary>Time a send may block on a peer that does not read (infinite by default).</summary>
    public TimeSpan SendTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Acceptor side of release: sends A-RELEASE-RP (Evt14, AR-4) and waits for the peer to close (Sta13).</summary>
    public async ValueTask AcceptReleaseAsync(CancellationToken cancellationToken)
    {
        AssociationAction action = Machine.Handle(AssociationEvent.Evt14);
        try
        {
            await SendPduAsync(AReleaseRp.Instance, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            await CloseAsync().ConfigureAwait(false);
            return;
        }

        if (action == AssociationAction.AR4)
        {
            await WaitForCloseAsync().ConfigureAwait(false);
        }
    }
}
