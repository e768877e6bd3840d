using System.Net.Sockets;
using DicomArchive.Dicom.Network.Association;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DicomArchive.Dicom.Network.Client;

/// <summary>
/// A DICOM SCU association: connects, proposes presentation contexts, and sends requests one at a time
/// (C-ECHO, C-STORE) until it is released or aborted. Not thread-safe: one operation at a time.
/// </summary>
public sealed partial class DicomClient : IAsyncDisposable
{
    readonly AssociationChannel _channel;
    readonly DicomClientOptions _options;
    ushort _nextMessageId = 1;

    DicomClient(AssociationChannel channel, DicomClientOptions options, AAssociateAc accept)
    {
        _channel = channel;
        _options = options;
        Accept = accept;
    }

    /// <summary>The acceptor's A-ASSOCIATE-AC.</summary>
    public AAssociateAc Accept { get; }

    /// <summary>Every proposed context with the acceptor's answer, by presentation context ID.</summary>
    public IReadOnlyDictionary<byte, PresentationContext> PresentationContexts => _channel.Contexts;

    /// <summary>Whether the association is established (not yet released or aborted).</summary>
    public bool IsEstablished => !_channel.IsClosed && _channel.Machine.IsEstablished;

    /// <summary>
    /// Opens a TCP connection and negotiates an association proposing <paramref name="presentationContexts"/>.
    /// </summary>
    /// <exception cref="DicomAssociationRejectedException">The peer rejected the association.</exception>
    /// <exception cref="DicomAbortException">The peer aborted, timed out or broke the protocol during negotiation.</exception>
    /// <exception cref="SocketException">The connection could not be opened.</exception>
    public static async Task<DicomClient> ConnectAsync(string host, int port, DicomClientOptions options,
        IEnumerable<PresentationContextRequest> presentationContexts, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(presentationContexts);
        logger ??= NullLogger.Instance;
        var request = new AAssociateRq { CalledAeTitle = options.CalledAeTitle, CallingAeTitle = options.CallingAeTitle };
        foreach (PresentationContextRequest pc in presentationContexts)
        {
            request.PresentationContexts.Add(pc);
        }

        request.UserInformation.MaximumLength = (uint)options.MaxPduLength;
        request.UserInformation.ImplementationClassUid = DicomImplementation.ClassUid;
        request.UserInformation.ImplementationVersionName = DicomImplementation.VersionName;
        foreach (ScpScuRoleSelection role in options.RoleSelections)
        {
            request.UserInformation.RoleSelections.Add(role);
        }

        using var connectTimeout = new CancellationTokenSource(options.AssociationTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectTimeout.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream transport = new NetworkStream(socket, ownsSocket: true);
        if (options.Tls is { } tls)
        {
            transport = await AuthenticateAsync(transport, host, tls, linked.Token).ConfigureAwait(false);
        }

        var channel = new AssociationChannel(transport, options.MaxPduLength, isRequestor: true,
            options.TimeProvider, options.AssociationTimeout, logger)
        {
            SendTimeout = options.DimseTimeout,
        };
        try
        {
            channel.Machine.Handle(AssociationEvent.Evt1);
            channel.Machine.Handle(AssociationEvent.Evt2);
            await channel.SendPduAsync(request, linked.Token).ConfigureAwait(false);
            Pdu? answer;
            try
            {
                answer = await channel.ReadPduAsync(options.AssociationTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DicomAbortException or DicomContentException or TimeoutException or EndOfStreamException)
            {
                throw await channel.FailAsync(ex).ConfigureAwait(false);
            }

            switch (answer)
            {
                case AAssociateAc accept:
                    channel.Machine.Handle(AssociationEvent.Evt3);
                    channel.PeerMaxPduLength = accept.UserInformation.MaximumLength;
                    channel.SetContexts(Match(request, accept));
                    return new DicomClient(channel, options, accept);
                case AAssociateRj reject:
                    channel.Machine.Handle(AssociationEvent.Evt4);
                    await channel.CloseAsync().ConfigureAwait(false);
                    throw new DicomAssociationRejectedException(reject);
                default:
                    throw await channel.UnexpectedPduAsync(answer).ConfigureAwait(false);
            }
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The TLS handshake as client; the transport is disposed when it fails.</summary>
    static async Task<Stream> AuthenticateAsync(Stream network, string host, DicomClientTlsOptions tls, CancellationToken cancellationToken)
    {
        var ssl = new System.Net.Security.SslStream(network, leaveInnerStreamOpen: false);
        var options = new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = tls.TargetHost ?? host,
            EnabledSslProtocols = tls.Protocols,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            CipherSuitesPolicy = Server.DicomTlsOptions.CipherSuites(),
            ClientCertificates = tls.ClientCertificate is null ? null : [tls.ClientCertificate],
            RemoteCertificateValidationCallback = tls.TrustedAuthorities.Count == 0
                ? null
                : (_, certificate, _, errors) => Server.DicomTlsOptions.ValidateAgainst(tls.TrustedAuthorities, certificate, errors, nameMustMatch: true),
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    static List<PresentationContext> Match(AAssociateRq request, AAssociateAc accept)
    {
        var contexts = new List<PresentationContext>(request.PresentationContexts.Count);
        foreach (PresentationContextRequest proposed in request.PresentationContexts)
        {
            PresentationContextResponse? answer = null;
            foreach (PresentationContextResponse candidate in accept.PresentationContexts)
            {
                if (candidate.Id == proposed.Id)
                {
                    answer = candidate;
                    break;
                }
            }

            // PS3.8 9.3.3.2: an accepted transfer syntax must be one that was proposed.
            bool valid = answer is { IsAccepted: true } && proposed.TransferSyntaxes.Contains(answer.TransferSyntax!);
            contexts.Add(new PresentationContext(proposed.Id, proposed.AbstractSyntax,
                answer is null ? PresentationContextResult.NoReason : valid || !answer.IsAccepted ? answer.Result : PresentationContextResult.NoReason,
                valid ? answer!.TransferSyntax : null));
        }

        return contexts;
    }

    /// <summary>The accepted presentation context for an abstract syntax (and transfer syntax, when given), or null.</summary>
    public PresentationContext? FindContext(string abstractSyntax, string? transferSyntax = null)
    {
        foreach (PresentationContext pc in _channel.Contexts.Values)
        {
            if (pc.IsAccepted && pc.AbstractSyntax == abstractSyntax && (transferSyntax is null || pc.TransferSyntax == transferSyntax))
            {
                return pc;
            }
        }

        return null;
    }

    /// <summary>Sends a C-ECHO-RQ and returns the response status (PS3.7 9.1.5).</summary>
    /// <exception cref="InvalidOperationException">No Verification context was accepted.</exception>
    public async Task<DimseStatus> EchoAsync(CancellationToken cancellationToken = default)
    {
        PresentationContext context = FindContext(DicomNetworkUids.Verification)
            ?? throw new InvalidOperationException("The peer did not accept the Verification SOP class");
        DimseCommand request = DimseCommand.CreateEchoRequest(_nextMessageId++);
        DimseCommand response = await RequestAsync(context.Id, request, null, cancellationToken).ConfigureAwait(false);
        return response.Status ?? DimseStatus.ProcessingFailure;
    }

    /// <summary>
    /// Sends a C-STORE-RQ whose data set is read from <paramref name="dataSet"/> as it is sent (PS3.7 9.1.1). The data set
    /// must already be in <paramref name="transferSyntaxUid"/>, which must have been accepted for the SOP class.
    /// </summary>
    /// <returns>The C-STORE-RSP command.</returns>
    /// <exception cref="InvalidOperationException">No accepted context matches the SOP class and transfer syntax.</exception>
    public Task<DimseCommand> StoreAsync(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, Stream dataSet,
        CancellationToken cancellationToken = default) =>
        StoreAsync(sopClassUid, sopInstanceUid, transferSyntaxUid, dataSet, null, null, cancellationToken);

    /// <summary>
    /// Sends a C-STORE-RQ as a sub-operation of a C-MOVE: the request names the AE that asked for the move and the
    /// Message ID of its C-MOVE-RQ (PS3.7 9.1.1.1, Move Originator AE Title (0000,1030) / Message ID (0000,1031)).
    /// </summary>
    /// <exception cref="InvalidOperationException">No accepted context matches the SOP class and transfer syntax.</exception>
    public async Task<DimseCommand> StoreAsync(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, Stream dataSet,
        string? moveOriginatorAeTitle, ushort? moveOriginatorMessageId, CancellationToken cancellationToken = default)
    {
        PresentationContext context = FindContext(sopClassUid, transferSyntaxUid)
            ?? throw new InvalidOperationException($"No accepted presentation context for {sopClassUid} in {transferSyntaxUid}");
        DimseCommand request = DimseCommand.CreateStoreRequest(_nextMessageId++, sopClassUid, sopInstanceUid);
        if (moveOriginatorAeTitle is not null)
        {
            request.MoveOriginatorAeTitle = moveOriginatorAeTitle;
            request.MoveOriginatorMessageId = moveOriginatorMessageId;
        }

        return await RequestAsync(context.Id, request, dataSet, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a Part 10 file with C-STORE, streaming its data set (the bytes after the File Meta Information). When the
    /// association accepted none of the file's own syntax for its SOP class but an uncompressed one, the data set is
    /// converted on the way (element by element, never whole in memory).
    /// </summary>
    /// <exception cref="DicomContentException">The file is not Part 10.</exception>
    /// <exception cref="InvalidOperationException">No accepted context can carry the file (its SOP class not accepted, or a
    /// compressed file and no context in its syntax).</exception>
    public async Task<DimseCommand> StoreFileAsync(string path, CancellationToken cancellationToken = default)
    {
        // Positional reads: the data set is read straight into the P-DATA PDUs sent (PDataSender.SendCommandAndFileAsync).
        PositionalFileStream file = PositionalFileStream.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            Part10Header header = await Part10Header.ReadAsync(file, cancellationToken).ConfigureAwait(false);
            if (FindContext(header.SopClassUid, header.TransferSyntaxUid) is not null)
            {
                return await StoreAsync(header.SopClassUid, header.SopInstanceUid, header.TransferSyntaxUid, file, cancellationToken)
                    .ConfigureAwait(false);
            }

            TransferSyntax stored = TransferSyntax.Lookup(header.TransferSyntaxUid);
            TransferSyntax? target = null;
            if (!stored.IsEncapsulated)
            {
                foreach (TransferSyntax candidate in TransferSyntax.Uncompressed)
                {
                    if (FindContext(header.SopClassUid, candidate.Uid) is not null)
                    {
                        target = candidate;
                        break;
                    }
                }
            }

            if (target is null)
            {
                throw new InvalidOperationException(
                    $"No accepted presentation context can carry {header.SopClassUid} in {header.TransferSyntaxUid}");
            }

            file.Position = 0;
            return await DicomConvertedDataset.UseAsync(
                file,
                target,
                converted => StoreAsync(header.SopClassUid, header.SopInstanceUid, target.Uid, converted, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the SOP class, instance and transfer syntax of a Part 10 file (to choose contexts to propose).</summary>
    public static async Task<(string SopClassUid, string SopInstanceUid, string TransferSyntaxUid)> ReadFileInfoAsync(string path,
        CancellationToken cancellationToken = default)
    {
        FileStream file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            Part10Header header = await Part10Header.ReadAsync(file, cancellationToken).ConfigureAwait(false);
            return (header.SopClassUid, header.SopInstanceUid, header.TransferSyntaxUid);
        }
    }

    async Task<DimseCommand> RequestAsync(byte contextId, DimseCommand request, Stream? dataSet, CancellationToken cancellationToken)
    {
        EnsureEstablished();
        await _channel.SendMessageAsync(contextId, request, null, dataSet, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            (byte ContextId, DimseCommand Command)? message = await _channel.ReceiveCommandAsync(_options.DimseTimeout, cancellationToken)
                .ConfigureAwait(false);
            if (message is not { } m)
            {
                // The acceptor may not request release (PS3.8 7.2): treat it as a protocol error.
                throw await _channel.ProtocolErrorAsync(AbortReason.UnexpectedPdu, "A-RELEASE-RQ from the acceptor").ConfigureAwait(false);
            }

            if (m.Command.HasDataSet)
            {
                await _channel.OpenDataSet(m.ContextId, _options.DimseTimeout, cancellationToken).DrainAsync(cancellationToken)
                    .ConfigureAwait(false);
            }

            if (m.Command.IsResponse && m.Command.MessageIdBeingRespondedTo == request.MessageId && !(m.Command.Status?.IsPending ?? false))
            {
                return m.Command;
            }
        }
    }

    void EnsureEstablished()
    {
        if (!IsEstablished)
        {
            throw new InvalidOperationException("The association is not established");
        }
    }

    /// <summary>Releases the association (A-RELEASE-RQ/RP, PS3.8 7.2), handling a release collision.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (!IsEstablished)
        {
            return;
        }

        _channel.Machine.Handle(AssociationEvent.Evt11);
        await _channel.SendPduAsync(AReleaseRq.Instance, cancellationToken).ConfigureAwait(false);
        while (!_channel.IsClosed)
        {
            Pdu? pdu;
            try
            {
                pdu = await _channel.ReadPduAsync(_options.DimseTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DicomAbortException or DicomContentException or TimeoutException or EndOfStreamException)
            {
                throw await _channel.FailAsync(ex).ConfigureAwait(false);
            }

            switch (pdu)
            {
                case AReleaseRp:
                    // AR-3 (Sta7 or Sta11): release confirmed, close the transport.
                    _channel.Machine.Handle(AssociationEvent.Evt13);
                    await _channel.CloseAsync().ConfigureAwait(false);
                    return;
                case PDataTf:
                    _channel.Machine.Handle(AssociationEvent.Evt10);
                    break;
                case AReleaseRq:
                    // AR-8 release collision (we are the requestor: Sta9), then AR-9: answer it, await the RP in Sta11.
                    _channel.Machine.Handle(AssociationEvent.Evt12);
                    _channel.Machine.Handle(AssociationEvent.Evt14);
                    await _channel.SendPduAsync(AReleaseRp.Instance, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw await _channel.UnexpectedPduAsync(pdu).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Aborts the association (A-ABORT, service-user source) and closes the connection.</summary>
    public async Task AbortAsync()
    {
        if (!_channel.IsClosed)
        {
            await _channel.AbortAsync("Aborted by the local user").ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_channel.IsClosed && _channel.Machine.IsEstablished)
        {
            await AbortAsync().ConfigureAwait(false);
        }

        await _channel.DisposeAsync().ConfigureAwait(false);
    }
}
