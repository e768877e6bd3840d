using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DicomArchive.Dicom.Network.Association;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>
/// A DICOM SCP: listens on TCP (IPv6 and IPv4), runs one async loop per association, limits the number of concurrent
/// associations, applies the negotiation policy and dispatches DIMSE requests to the <see cref="DicomServiceHandlers"/>.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    // Patient Root, Study Root and the retired Patient/Study Only information models (PS3.4 C.6), FIND/MOVE/GET.
    static readonly string[] QueryRetrieveFind = ["1.2.840.10008.5.1.4.1.2.1.1", "1.2.840.10008.5.1.4.1.2.2.1", "1.2.840.10008.5.1.4.1.2.3.1"];
    static readonly string[] QueryRetrieveMove = ["1.2.840.10008.5.1.4.1.2.1.2", "1.2.840.10008.5.1.4.1.2.2.2", "1.2.840.10008.5.1.4.1.2.3.2"];
    static readonly string[] QueryRetrieveGet = ["1.2.840.10008.5.1.4.1.2.1.3", "1.2.840.10008.5.1.4.1.2.2.3", "1.2.840.10008.5.1.4.1.2.3.3"];

    readonly DicomServerOptions _options;
    readonly DicomServiceHandlers _handlers;
    readonly ILoggerFactory _loggerFactory;
    readonly ILogger _logger;
    readonly TimeProvider _time;
    readonly ConcurrentDictionary<long, Task> _associations = new();
    readonly CancellationTokenSource _stopAccepting = new();
    readonly CancellationTokenSource _abortAll = new();
    Socket? _listener;
    Task? _acceptLoop;
    long _nextId;
    int _active;
    int _stopped;

    public DicomServer(DicomServerOptions options, DicomServiceHandlers handlers, ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handlers);
        IReadOnlyList<string> problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        _options = options;
        _handlers = handlers;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<DicomServer>();
        _time = timeProvider ?? TimeProvider.System;
        Policy = BuildPolicy(options, handlers);
    }

    /// <summary>The negotiation policy derived from the options and the handlers present.</summary>
    public AssociationNegotiationPolicy Policy { get; }

    /// <summary>The bound endpoint (its port is the real one when <see cref="DicomServerOptions.Port"/> was 0).</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint as IPEndPoint;

    /// <summary>Associations (connections) currently running.</summary>
    public int ActiveAssociations => Volatile.Read(ref _active);

    static AssociationNegotiationPolicy BuildPolicy(DicomServerOptions options, DicomServiceHandlers handlers)
    {
        var syntaxes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            [DicomNetworkUids.Verification] = AssociationNegotiationPolicy.DefaultTransferSyntaxes,
        };
        void Add(IEnumerable<string> uids)
        {
            foreach (string uid in uids)
            {
                syntaxes[uid] = AssociationNegotiationPolicy.DefaultTransferSyntaxes;
            }
        }

        if (handlers.Find is not null)
        {
            Add(QueryRetrieveFind);
        }

        if (handlers.Move is not null)
        {
            Add(QueryRetrieveMove);
        }

        if (handlers.Get is not null)
        {
            Add(QueryRetrieveGet);
        }

        if (handlers.Action is not null)
        {
            Add(handlers.Action.SopClassUids);
        }

        if (handlers.EventReport is not null)
        {
            Add(handlers.EventReport.SopClassUids);
        }

        bool storage = handlers.Store is not null || handlers.Get is not null;
        return new AssociationNegotiationPolicy
        {
            AeTitle = options.AeTitle,
            CheckCalledAeTitle = options.CheckCalledAeTitle,
            AllowedCallingAeTitles = options.AllowedCallingAeTitles is null
                ? null
                : new HashSet<string>(options.AllowedCallingAeTitles, StringComparer.Ordinal),
            MaxPduLength = (uint)options.MaxPduLength,
            AbstractSyntaxes = syntaxes,
            // Storage contexts serve C-STORE and, with SCP/SCU role selection, the C-STORE sub-operations of C-GET.
            StorageTransferSyntaxes = storage ? options.StorageTransferSyntaxes ?? [] : null,
            AcceptAnyRegisteredStorageTransferSyntax = storage && options.StorageTransferSyntaxes is null,
            TransferSyntaxPreference = options.TransferSyntaxPreference,
        };
    }

    /// <summary>Binds the listening socket and starts accepting associations.</summary>
    /// <exception cref="SocketException">The port could not be bound.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started");
        }

        cancellationToken.ThrowIfCancellationRequested();
        _listener = Bind();
        _listener.Listen(512);
        NetworkLog.ListenerStarted(_logger, _options.AeTitle, _listener.LocalEndPoint);
        _acceptLoop = AcceptLoopAsync();
        return Task.CompletedTask;
    }

    Socket Bind()
    {
        if (_options.ListenAddress is null && Socket.OSSupportsIPv6)
        {
            try
            {
                return Bind(IPAddress.IPv6Any);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable)
            {
                // IPv6 is compiled in but disabled on this host: listen on IPv4 only.
            }
        }

        return Bind(_options.ListenAddress ?? IPAddress.Any);
    }

    Socket Bind(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_options.ListenAddress is null && address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // One socket for both families: IPv4 clients arrive as IPv4-mapped IPv6 addresses.
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(address, _options.Port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    async Task AcceptLoopAsync()
    {
        TimeSpan backoff = TimeSpan.FromMilliseconds(100);
        CancellationToken stopping = _stopAccepting.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(stopping).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(100);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // Out of sockets or buffers: back off instead of spinning (up to 5 s).
                NetworkLog.AcceptFailed(_logger, ex, backoff);
                try
                {
                    await Task.Delay(backoff, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromMilliseconds(Math.Min(5000, backoff.TotalMilliseconds * 2));
                continue;
            }
            catch (SocketException ex)
            {
                // A connection reset before we accepted it, and the like: nothing to do for that peer.
                NetworkLog.AcceptFailed(_logger, ex, TimeSpan.Zero);
                continue;
            }

            ServerAssociation association;
            try
            {
                // DICOM exchanges are small request/response messages: Nagle would delay each by a delayed ACK.
                socket.NoDelay = true;
                association = new ServerAssociation(socket, _options, Policy, _handlers, _loggerFactory.CreateLogger<ServerAssociation>(), _time);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Reset between accept and setup.
                socket.Dispose();
                continue;
            }

            bool overLimit = Interlocked.Increment(ref _active) > _options.MaxAssociations;
            long id = Interlocked.Increment(ref _nextId);
            Task task = RunAssociationAsync(association, overLimit, id);
            _associations[id] = task;
            if (task.IsCompleted)
            {
                _associations.TryRemove(id, out _);
            }
        }
    }

    async Task RunAssociationAsync(ServerAssociation association, bool overLimit, long id)
    {
        await Task.Yield();
        try
        {
            await association.RunAsync(overLimit, _abortAll.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug in one association must not take the listener or other associations down.
            NetworkLog.AssociationFailed(_logger, ex);
        }
        catch (OperationCanceledException)
        {
            // Aborted at shutdown.
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            _associations.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Stops accepting, lets running associations finish for up to <see cref="DicomServerOptions.StopTimeout"/>, then
    /// aborts the rest.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is null || Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopAccepting.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        Task all = Task.WhenAll(_associations.Values);
        if (!all.IsCompleted)
        {
            try
            {
                await all.WaitAsync(_options.StopTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                NetworkLog.AbortingOnStop(_logger, _associations.Count);
            }
        }

        await _abortAll.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_associations.Values).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Aborted associations end with cancellation.
        }

        NetworkLog.ListenerStopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopAccepting.Dispose();
        _abortAll.Dispose();
    }
}
