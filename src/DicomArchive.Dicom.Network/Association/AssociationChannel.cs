using System.Buffers;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Transport;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Dicom.Network.Association;

/// <summary>
/// One association on one transport connection, for either side: drives the <see cref="AssociationStateMachine"/> with
/// every PDU received or sent, performs the actions' I/O, and turns protocol errors into A-ABORT (PS3.8 9.2 and 9.3.8).
/// Every way an association can end abnormally surfaces to the caller as one <see cref="DicomAbortException"/>, after
/// the abort has been sent (when one is due) and the transport closed. Driven by one loop at a time.
/// </summary>
internal sealed partial class AssociationChannel : IAsyncDisposable
{
    readonly PduConnection _connection;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly CancellationTokenSource _artimExpired = new();
    readonly Dictionary<byte, PresentationContext> _contexts = [];
    PDataTf? _pData;
    CancellationTokenSource? _readTimeout;
    int _pdvIndex;
    bool _closed;

    public AssociationChannel(Stream transport, int maxPduLength, bool isRequestor, TimeProvider timeProvider, TimeSpan artimTimeout,
        ILogger logger)
    {
        _connection = new PduConnection(transport, maxPduLength);
        _time = timeProvider;
        _logger = logger;
        Machine = new AssociationStateMachine(isRequestor, timeProvider, artimTimeout, OnArtimExpired);
    }

    public AssociationStateMachine Machine { get; }

    public int MaxPduLength => _connection.MaxPDataLength;

    /// <summary>The peer's maximum P-DATA-TF length (PS3.8 D.1), 0 for unlimited.</summary>
    public uint PeerMaxPduLength { get; set; }

    public IReadOnlyDictionary<byte, PresentationContext> Contexts => _contexts;

    public bool IsClosed => _closed;

    public void SetContexts(IEnumerable<PresentationContext> contexts)
    {
        _contexts.Clear();
        foreach (PresentationContext pc in contexts)
        {
            _contexts[pc.Id] = pc;
        }
    }

    void OnArtimExpired()
    {
        try
        {
            _artimExpired.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The association ended while the timer fired.
        }
    }

    /// <summary>Reads one PDU; null when the transport closed between PDUs.</summary>
    /// <exception cref="TimeoutException"><paramref name="timeout"/> or the ARTIM timer expired.</exception>
    /// <exception cref="DicomAbortException">Framing error (unknown type, length over our limits).</exception>
    /// <exception cref="DicomContentException">Malformed PDU body.</exception>
    /// <exception cref="EndOfStreamException">The transport closed in the middle of a PDU.</exception>
    public async ValueTask<Pdu?> ReadPduAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        CancellationToken timeoutToken = CancellationToken.None;
        if (timeout is { } t && t != Timeout.InfiniteTimeSpan)
        {
            // One timer per association, re-armed for each read (a PDU is read per few KB on the hot path).
            if (_readTimeout is null || !_readTimeout.TryReset())
            {
                _readTimeout?.Dispose();
                _readTimeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
            }

            _readTimeout.CancelAfter(t);
            timeoutToken = _readTimeout.Token;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _artimExpired.Token, timeoutToken);
        try
        {
            Pdu? pdu = await _connection.ReadPduAsync(linked.Token).ConfigureAwait(false);
            if (pdu is not null && _logger.IsEnabled(LogLevel.Trace))
            {
                NetworkLog.PduReceived(_logger, pdu.Type, pdu.BodyLength);
            }

            return pdu;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(_artimExpired.IsCancellationRequested ? "ARTIM timer expired" : $"No PDU within {timeout}");
        }
        catch (IOException ex) when (ex is not EndOfStreamException)
        {
            throw new EndOfStreamException($"Transport failed: {ex.Message}", ex);
        }
    }

    public async ValueTask SendPduAsync(Pdu pdu, CancellationToken cancellationToken)
    {
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            NetworkLog.PduSent(_logger, pdu.Type, pdu.BodyLength);
        }

        await _connection.WritePduAsync(pdu, cancellationToken).ConfigureAwait(false);
    }

    public static AssociationEvent EventFor(PduType type) => type switch
    {
        PduType.AAssociateRq => AssociationEvent.Evt6,
        PduType.AAssociateAc => AssociationEvent.Evt3,
        PduType.AAssociateRj => AssociationEvent.Evt4,
        PduType.PDataTf => AssociationEvent.Evt10,
        PduType.AReleaseRq => AssociationEvent.Evt12,
        PduType.AReleaseRp => AssociationEvent.Evt13,
        PduType.AAbort => AssociationEvent.Evt16,
        _ => AssociationEvent.Evt19,
    };

    /// <summary>
    /// Performs the abort-family action that the state machine chose (AA-1, AA-2, AA-3, AA-4, AA-5, AA-7, AA-8, AR-5)
    /// and ends the association: sends the A-ABORT when one is due, waits in Sta13 for the peer to close (bounded by
    /// ARTIM), closes the transport.
    /// </summary>
    public async ValueTask<DicomAbortException> PerformAbortActionAsync(AssociationAction action, AbortReason reason, string detail,
        Pdu? received = null)
    {
        switch (action)
        {
            case AssociationAction.AA1:
                await TrySendAbortAsync(AbortSource.ServiceUser, AbortReason.NotSpecified, detail).ConfigureAwait(false);
                await WaitForCloseAsync().ConfigureAwait(false);
                break;
            case AssociationAction.AA7:
            case AssociationAction.AA8:
                await TrySendAbortAsync(AbortSource.ServiceProvider, reason, detail).ConfigureAwait(false);
                await WaitForCloseAsync().ConfigureAwait(false);
                break;
            case AssociationAction.AA3:
                if (received is AAbort abort)
                {
                    NetworkLog.AbortReceived(_logger, abort.Source, abort.Reason);
                }

                await CloseAsync().ConfigureAwait(false);
                break;
            default:
                await CloseAsync().ConfigureAwait(false);
                break;
        }

        return received is AAbort peerAbort
            ? new DicomAbortException(peerAbort.Source, peerAbort.Reason, $"The peer aborted the association ({peerAbort.Source}, {peerAbort.Reason}): {detail}") { ReceivedFromPeer = true }
            : new DicomAbortException(AbortSource.ServiceProvider, reason, detail);
    }

    /// <summary>Feeds a protocol error (Evt19) and ends the association accordingly.</summary>
    public ValueTask<DicomAbortException> ProtocolErrorAsync(AbortReason reason, string detail)
    {
        AssociationAction action = Machine.State == AssociationState.Sta1 ? AssociationAction.AA2 : Machine.Handle(AssociationEvent.Evt19);
        return PerformAbortActionAsync(action, reason, detail);
    }

    /// <summary>A-ABORT request primitive (Evt15) from the local user, e.g. on a timeout or at shutdown.</summary>
    public async ValueTask<DicomAbortException> AbortAsync(string detail)
    {
        if (_closed || Machine.State is AssociationState.Sta1 or AssociationState.Sta2 or AssociationState.Sta13)
        {
            await CloseAsync().ConfigureAwait(false);
            return new DicomAbortException(AbortSource.ServiceUser, AbortReason.NotSpecified, detail);
        }

        AssociationAction action = Machine.Handle(AssociationEvent.Evt15);
        return await PerformAbortActionAsync(action, AbortReason.NotSpecified, detail).ConfigureAwait(false);
    }

    /// <summary>Handles an unexpected PDU or a read failure in any state and returns the exception for the caller to throw.</summary>
    public async ValueTask<DicomAbortException> FailAsync(Exception error)
    {
        switch (error)
        {
            case DicomAbortException abort:
                return await ProtocolErrorAsync(abort.Reason, abort.Message).ConfigureAwait(false);
            case DicomContentException content:
                return await ProtocolErrorAsync(AbortReason.InvalidPduParameterValue, content.Message).ConfigureAwait(false);
            case TimeoutException timeout:
                NetworkLog.TimedOut(_logger, timeout.Message);
                if (Machine.State is AssociationState.Sta2 or AssociationState.Sta13)
                {
                    // Evt18: ARTIM expired while waiting for a request or for the close (AA-2: close the transport).
                    if (Machine.IsArtimRunning || _artimExpired.IsCancellationRequested)
                    {
                        Machine.Handle(AssociationEvent.Evt18);
                    }

                    await CloseAsync().ConfigureAwait(false);
                    return new DicomAbortException(AbortSource.ServiceProvider, AbortReason.NotSpecified, timeout.Message, timeout);
                }

                return await AbortAsync(timeout.Message).ConfigureAwait(false);
            case EndOfStreamException eof:
                NetworkLog.ConnectionLost(_logger, eof.Message);
                if (Machine.State != AssociationState.Sta1)
                {
                    Machine.Handle(AssociationEvent.Evt17);
                }

                await CloseAsync().ConfigureAwait(false);
                return new DicomAbortException(AbortSource.ServiceProvider, AbortReason.NotSpecified, eof.Message, eof);
            default:
                await CloseAsync().ConfigureAwait(false);
                return new DicomAbortException(AbortSource.ServiceProvider, AbortReason.NotSpecified, error.Message, error);
        }
    }

    /// <summary>Handles a PDU that is not valid at this point of the exchange (Table 9-10 gives AA-1/AA-3/AA-6/AA-8...).</summary>
    public async ValueTask<DicomAbortException> UnexpectedPduAsync(Pdu? pdu)
    {
        if (pdu is null)
        {
            return await FailAsync(new EndOfStreamException("The peer closed the connection")).ConfigureAwait(false);
        }

        AssociationState state = Machine.State;
        AssociationAction action = Machine.Handle(EventFor(pdu.Type));
        string detail = pdu is AAbort ? $"A-ABORT received in {state}" : $"Unexpected {pdu.Type} in {state}";
        return await PerformAbortActionAsync(action, AbortReason.UnexpectedPdu, detail, pdu)
            .ConfigureAwait(false);
    }

    async ValueTask TrySendAbortAsync(AbortSource source, AbortReason reason, string detail)
    {
        NetworkLog.AbortSent(_logger, source, reason, detail);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            await SendPduAsync(new AAbort(source, reason), cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer may be gone or not reading; the transport is closed next anyway.
        }
    }

    /// <summary>Sta13: waits for the peer to close the transport, ignoring PDUs, until the ARTIM timer expires.</summary>
    public async ValueTask WaitForCloseAsync()
    {
        try
        {
            while (!_closed)
            {
                Pdu? pdu = await ReadPduAsync(null, CancellationToken.None).ConfigureAwait(false);
                if (pdu is null)
                {
                    if (Machine.State == AssociationState.Sta13)
                    {
                        Machine.Handle(AssociationEvent.Evt17);
                    }

                    break;
                }

                if (Machine.State == AssociationState.Sta13)
                {
                    AssociationAction action = Machine.Handle(EventFor(pdu.Type));
                    if (action == AssociationAction.AA7)
                    {
                        await TrySendAbortAsync(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu, "PDU while awaiting close")
                            .ConfigureAwait(false);
                    }
                    else if (action == AssociationAction.AA2)
                    {
                        break;
                    }
                }
            }
        }
        catch (TimeoutException)
        {
            if (Machine.State == AssociationState.Sta13)
            {
                Machine.Handle(AssociationEvent.Evt18);
            }
        }
        catch (Exception ex) when (ex is DicomAbortException or DicomContentException or EndOfStreamException or OperationCanceledException)
        {
            // Anything the peer sends now is ignored (AA-6/AA-7): the association no longer exists.
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes the transport (idempotent).</summary>
    public async ValueTask CloseAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        Machine.Dispose();
        try
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Closing a broken connection.
        }

        NetworkLog.ConnectionClosed(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _artimExpired.Dispose();
        _readTimeout?.Dispose();
    }
}
