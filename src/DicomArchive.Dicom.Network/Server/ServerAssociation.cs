using System.Net;
using System.Net.Sockets;
using DicomArchive.Dicom.Network.Association;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Pdus;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>The acceptor's loop for one connection: negotiation, then DIMSE requests until release or abort.</summary>
internal sealed partial class ServerAssociation
{
    /// <summary>Largest C-FIND/C-MOVE/C-GET identifier accepted (identifiers are small; this bounds peer input).</summary>
    const int MaximumIdentifierLength = 1024 * 1024;

    readonly Socket _socket;
    readonly DicomServerOptions _options;
    readonly AssociationNegotiationPolicy _policy;
    readonly DicomServiceHandlers _handlers;
    readonly ILogger _logger;
    readonly TimeProvider _time;
    readonly EndPoint? _remote;
    DicomAssociationInfo? _info;

    public ServerAssociation(Socket socket, DicomServerOptions options, AssociationNegotiationPolicy policy, DicomServiceHandlers handlers,
        ILogger logger, TimeProvider time)
    {
        _socket = socket;
        _options = options;
        _policy = policy;
        _handlers = handlers;
        _logger = logger;
        _time = time;
        _remote = socket.RemoteEndPoint;
    }

    public async Task RunAsync(bool overLimit, CancellationToken abortToken)
    {
        using IDisposable? scope = _logger.BeginScope(new Dictionary<string, object?> { ["RemoteEndPoint"] = _remote?.ToString() });
        NetworkLog.ConnectionOpened(_logger, _remote);
        Stream? transport = await OpenTransportAsync(abortToken).ConfigureAwait(false);
        if (transport is null)
        {
            return;
        }

        var channel = new AssociationChannel(transport, _options.MaxPduLength, isRequestor: false, _time,
            _options.AssociationRequestTimeout, _logger)
        {
            SendTimeout = _options.DimseTimeout,
        };
        await using (channel.ConfigureAwait(false))
        {
            try
            {
                AAssociateRq? request = await AwaitRequestAsync(channel, abortToken).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }

                using IDisposable? aeScope = _logger.BeginScope(new Dictionary<string, object?> { ["CallingAe"] = request.CallingAeTitle });
                if (!await NegotiateAsync(channel, request, overLimit, abortToken).ConfigureAwait(false))
                {
                    return;
                }

                await ServeAsync(channel, abortToken).ConfigureAwait(false);
            }
            catch (DicomAbortException)
            {
                // Already answered (A-ABORT sent or received) and logged by the channel; the transport is closed.
            }
            catch (OperationCanceledException) when (abortToken.IsCancellationRequested)
            {
                await channel.AbortAsync("The server is stopping").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                NetworkLog.ConnectionLost(_logger, ex.Message);
                await channel.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sta2: waits (ARTIM) for the A-ASSOCIATE-RQ; anything else ends the connection as Table 9-10 says.</summary>
    static async Task<AAssociateRq?> AwaitRequestAsync(AssociationChannel channel, CancellationToken abortToken)
    {
        channel.Machine.Handle(AssociationEvent.Evt5);
        Pdu? pdu;
        try
        {
            pdu = await channel.ReadPduAsync(null, abortToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomAbortException or DicomContentException or TimeoutException or EndOfStreamException)
        {
            throw await channel.FailAsync(ex).ConfigureAwait(false);
        }

        if (pdu is AAssociateRq request)
        {
            return request;
        }

        throw await channel.UnexpectedPduAsync(pdu).ConfigureAwait(false);
    }

    async Task<bool> NegotiateAsync(AssociationChannel channel, AAssociateRq request, bool overLimit, CancellationToken abortToken)
    {
        channel.Machine.Handle(AssociationEvent.Evt6);
        AssociationPermissions? permissions = _options.Authorize?.Invoke(request.CallingAeTitle, (_remote as IPEndPoint)?.Address);
        Pdu answer = _policy.Negotiate(request, overLimit, permissions);
        if (answer is AAssociateRj reject)
        {
            channel.Machine.Handle(AssociationEvent.Evt8);
            NetworkLog.AssociationRejected(_logger, request.CallingAeTitle, request.CalledAeTitle, reject);
            _options.AssociationObserver?.AssociationRejected(request.CallingAeTitle, request.CalledAeTitle, _remote, reject,
                permissions is { Allowed: false } ? permissions.DenialReason : null);
            await channel.SendPduAsync(reject, abortToken).ConfigureAwait(false);
            await channel.WaitForCloseAsync().ConfigureAwait(false);
            return false;
        }

        var accept = (AAssociateAc)answer;
        channel.Machine.Handle(AssociationEvent.Evt7);
        var contexts = new List<PresentationContext>(accept.PresentationContexts.Count);
        int accepted = 0;
        for (int i = 0; i < accept.PresentationContexts.Count; i++)
        {
            Items.PresentationContextResponse response = accept.PresentationContexts[i];
            contexts.Add(new PresentationContext(response.Id, request.PresentationContexts[i].AbstractSyntax, response.Result,
                response.TransferSyntax));
            accepted += response.IsAccepted ? 1 : 0;
        }

        channel.SetContexts(contexts);
        channel.PeerMaxPduLength = request.UserInformation.MaximumLength;
        _info = new DicomAssociationInfo(request.CallingAeTitle, request.CalledAeTitle, _remote, channel.Contexts);
        await channel.SendPduAsync(accept, abortToken).ConfigureAwait(false);
        _options.AssociationObserver?.AssociationAccepted(_info);
        NetworkLog.AssociationAccepted(_logger, request.CallingAeTitle, request.CalledAeTitle, accepted, contexts.Count,
            request.UserInformation.MaximumLength);
        return true;
    }

    /// <summary>Sta6: one request at a time until the peer releases (or anything ends the association).</summary>
    async Task ServeAsync(AssociationChannel channel, CancellationToken abortToken)
    {
        try
        {
            await ServeLoopAsync(channel, abortToken).ConfigureAwait(false);
        }
        finally
        {
            // Event reports scheduled but never sent (the association ended first): their owners deliver them elsewhere.
            while (_followUps.TryDequeue(out FollowUp? dropped))
            {
                await dropped.Completed(null).ConfigureAwait(false);
            }
        }
    }

    async Task ServeLoopAsync(AssociationChannel channel, CancellationToken abortToken)
    {
        while (true)
        {
            (byte ContextId, DimseCommand Command)? message = await channel.ReceiveCommandAsync(_options.IdleTimeout, abortToken)
                .ConfigureAwait(false);
            if (message is not { } m)
            {
                await channel.AcceptReleaseAsync(abortToken).ConfigureAwait(false);
                NetworkLog.AssociationReleased(_logger);
                return;
            }

            await DispatchAsync(channel, m.ContextId, m.Command, abortToken).ConfigureAwait(false);
            if (_followUps.Count > 0 && !await RunFollowUpsAsync(channel, abortToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }
}
