using System.Net;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Configuration;
using DicomArchive.Service.Dimse;
using DicomArchive.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DicomArchive.Service.Hosting;

/// <summary>
/// The archive's lifetime: opens the store (recovering what a crash left) before the DIMSE listener accepts its
/// first association, and on stop lets running associations finish (bounded) before the store closes.
/// A failure to start stops the host with a non-zero exit code: the service never reports healthy while dead.
/// </summary>
internal sealed partial class ArchiveService(
    IOptions<ArchiveOptions> options,
    ArchiveStoreHolder storeHolder,
    DicomServiceHandlers handlers,
    AuditTrail auditTrail,
    ILoggerFactory loggerFactory,
    TimeProvider timeProvider) : IHostedService, IAsyncDisposable
{
    private readonly ILogger logger = loggerFactory.CreateLogger<ArchiveService>();
    private DicomServer? server;
    private DicomServer? tlsServer;

    /// <summary>The endpoint the listener is bound to (tests start it on port 0).</summary>
    public EndPoint? LocalEndPoint => server?.LocalEndPoint;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var archive = options.Value;
        var store = await InstanceStore.OpenAsync(
            ArchiveConfiguration.ToStorageOptions(archive), loggerFactory.CreateLogger<InstanceStore>(), cancellationToken).ConfigureAwait(false);
        storeHolder.Set(store);
        if (store.LastCloseWasClean)
        {
            // Nothing can lie without an index row after a clean close: skip walking every stored file.
            LogRecoverySkipped(logger);
        }
        else
        {
            var recovery = await store.RecoverAsync(cancellationToken).ConfigureAwait(false);
            LogRecovered(logger, recovery.InstancesIndexed, recovery.Problems.Count);
        }

        var serverOptions = ToServerOptions(archive);
        var access = await PeerAccessControl.CreateAsync(archive, cancellationToken).ConfigureAwait(false);
        serverOptions.Authorize = access.Authorize;
        serverOptions.AssociationObserver = auditTrail;
        if (archive.Tls.Port != 0)
        {
            // DICOM TLS on its own port (PS3.15 B.1): a second listener with the same handlers, policy and audit.
            var tlsOptions = ToServerOptions(archive);
            tlsOptions.Port = archive.Tls.Port;
            tlsOptions.Authorize = access.Authorize;
            tlsOptions.AssociationObserver = auditTrail;
            tlsOptions.Tls = archive.Tls.ToServerTls();
            tlsServer = new DicomServer(tlsOptions, handlers, loggerFactory, timeProvider);
            await tlsServer.StartAsync(cancellationToken).ConfigureAwait(false);
            LogListeningTls(logger, archive.AeTitle, tlsServer.LocalEndPoint?.ToString() ?? "?", tlsOptions.Tls.ServerCertificate.Subject,
                archive.Tls.RequireClientCertificate);
        }

        if (archive.Tls.Port == 0 || archive.Tls.KeepPlainPort)
        {
            server = new DicomServer(serverOptions, handlers, loggerFactory, timeProvider);
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            LogListening(logger, archive.AeTitle, server.LocalEndPoint?.ToString() ?? "?", store.StorageRoot);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        if (tlsServer is not null)
        {
            await tlsServer.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            server = null;
        }

        if (tlsServer is not null)
        {
            await tlsServer.DisposeAsync().ConfigureAwait(false);
            tlsServer = null;
        }

        if (storeHolder.IsOpen)
        {
            var store = storeHolder.Store;
            storeHolder.Set(null);
            await store.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static DicomServerOptions ToServerOptions(ArchiveOptions archive) => new()
    {
        AeTitle = archive.AeTitle,
        Port = archive.Port,
        ListenAddress = archive.BindAddress == "*" ? null : IPAddress.Parse(archive.BindAddress),
        MaxPduLength = archive.MaxPduLength,
        MaxAssociations = archive.MaxAssociations,
        AssociationRequestTimeout = TimeSpan.FromSeconds(archive.AssociationTimeoutSeconds),
        IdleTimeout = TimeSpan.FromSeconds(archive.IdleTimeoutSeconds),
        DimseTimeout = TimeSpan.FromSeconds(archive.DimseTimeoutSeconds),
        CheckCalledAeTitle = archive.CheckCalledAeTitle,
        StorageTransferSyntaxes = archive.AcceptedTransferSyntaxes.Count > 0 ? [.. archive.AcceptedTransferSyntaxes] : null,
    };

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Recovery indexed {Indexed} files left without an index row ({Problems} problems)")]
    private static partial void LogRecovered(ILogger logger, int indexed, int problems);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information,
        Message = "The storage was closed cleanly last time: no recovery scan needed")]
    private static partial void LogRecoverySkipped(ILogger logger);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information,
        Message = "DicomArchive {AeTitle} listening with DICOM TLS on {EndPoint}, certificate {Subject}, client certificate required: {Required}")]
    private static partial void LogListeningTls(ILogger logger, string aeTitle, string endPoint, string subject, bool required);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "DicomArchive {AeTitle} listening on {EndPoint}, storage {StorageRoot}")]
    private static partial void LogListening(ILogger logger, string aeTitle, string endPoint, string storageRoot);
}
