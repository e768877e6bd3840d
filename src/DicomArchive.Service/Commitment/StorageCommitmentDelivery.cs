using System.Collections.Concurrent;
using System.Net.Sockets;
using DicomArchive.Dicom;
using DicomArchive.Dicom.Network;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Configuration;
using DicomArchive.Service.Dimse;
using DicomArchive.Service.Hosting;
using DicomArchive.Storage.Commitment;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DicomArchive.Service.Commitment;

/// <summary>A computed Storage Commitment result, ready to send.</summary>
internal sealed record CommitmentOutcome(EventReport Report, int Committed, int Failed);

/// <summary>
/// Delivers Storage Commitment results that did not go out on the association of the request (PS3.4 J.3.3): the
/// archive opens an association to the requester (found in Archive:Peers by the calling AE title of the request),
/// proposing the SCP role for the Storage Commitment Push Model through SCP/SCU role selection (PS3.7 D.3.3.4), and
/// sends the N-EVENT-REPORT. Pending requests live in the index, so those a restart interrupted are delivered too;
/// an unreachable requester is retried every RetryIntervalSeconds until RetrySeconds after the request.
/// </summary>
internal sealed partial class StorageCommitmentDelivery(
    ArchiveStoreHolder holder,
    IOptions<ArchiveOptions> options,
    AuditTrail audit,
    ILoggerFactory loggerFactory,
    TimeProvider time) : BackgroundService
{
    /// <summary>How often the index is looked at for due deliveries (a retry is never later than this after it is due).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly ILogger logger = loggerFactory.CreateLogger<StorageCommitmentDelivery>();
    private readonly ConcurrentDictionary<string, byte> inFlight = new(StringComparer.Ordinal);

    /// <summary>Marks a request as being answered elsewhere (on its own association) so the loop leaves it alone.</summary>
    public void BeginInFlight(string transactionUid) => inFlight[transactionUid] = 0;

    public void EndInFlight(string transactionUid) => inFlight.TryRemove(transactionUid, out _);

    /// <summary>Checks every referenced instance now (index, SOP class, file re-hashed) and encodes the result.</summary>
    public async Task<CommitmentOutcome> BuildReportAsync(PendingCommitment pending, string transferSyntaxUid, CancellationToken ct)
    {
        var results = await holder.Store.VerifyCommitmentAsync(pending.Items, ct).ConfigureAwait(false);
        return Encode(pending, results, transferSyntaxUid);
    }

    private CommitmentOutcome Encode(PendingCommitment pending, IReadOnlyList<CommitmentItemResult> results, string transferSyntaxUid)
    {
        var eventType = StorageCommitmentMessages.BuildResult(pending.TransactionUid, options.Value.AeTitle, results, transferSyntaxUid,
            out var information);
        var committed = 0;
        foreach (var result in results)
        {
            if (result.IsCommitted)
            {
                committed++;
            }
            else
            {
                LogItemFailed(logger, pending.TransactionUid, result.Reference.SopInstanceUid, result.FailureReason, result.Detail ?? "");
            }
        }

        var report = new EventReport(DicomNetworkUids.StorageCommitmentPushModel, DicomNetworkUids.StorageCommitmentPushModelInstance, eventType,
            information);
        return new CommitmentOutcome(report, committed, results.Count - committed);
    }

    /// <summary>Marks a request answered (the requester returned Success to the N-EVENT-REPORT) and audits it.</summary>
    public async Task CompleteAsync(PendingCommitment pending, CommitmentOutcome outcome, string route, CancellationToken ct)
    {
        await holder.Store.CompleteCommitmentAsync(pending.TransactionUid, delivered: true, time.GetUtcNow(), ct: ct).ConfigureAwait(false);
        LogDelivered(logger, pending.TransactionUid, pending.CallingAe, outcome.Report.EventTypeId, outcome.Committed, outcome.Failed, route);
        audit.Commitment(pending.CallingAe, pending.TransactionUid, "delivered", outcome.Report.EventTypeId, outcome.Committed, outcome.Failed,
            route, pending.Attempts + 1);
    }

    public void LogSameAssociationMissed(string transactionUid, DimseStatus? status) =>
        LogNotOnSameAssociation(logger, transactionUid, status?.ToString() ?? "the association ended first");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (holder.IsOpen)
            {
                try
                {
                    await DeliverDueAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The index may be briefly unavailable (stopping, disk trouble): try again on the next round.
                    LogLoopFailed(logger, ex);
                }
            }

            try
            {
                await Task.Delay(PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeliverDueAsync(CancellationToken stoppingToken)
    {
        var due = await holder.Store.GetDueCommitmentsAsync(time.GetUtcNow(), ct: stoppingToken).ConfigureAwait(false);
        foreach (var pending in due)
        {
            if (!inFlight.TryAdd(pending.TransactionUid, 0))
            {
                continue;
            }

            try
            {
                await AttemptAsync(pending, stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                EndInFlight(pending.TransactionUid);
            }
        }
    }

    private async Task AttemptAsync(PendingCommitment pending, CancellationToken stoppingToken)
    {
        var archive = options.Value;
        var now = time.GetUtcNow();
        if (now >= pending.ExpiresAt)
        {
            await holder.Store.CompleteCommitmentAsync(pending.TransactionUid, delivered: false, now, pending.LastError, stoppingToken)
                .ConfigureAwait(false);
            LogExpired(logger, pending.TransactionUid, pending.CallingAe, pending.Attempts, pending.LastError);
            audit.Commitment(pending.CallingAe, pending.TransactionUid, "expired", 0, 0, pending.Items.Count, "none", pending.Attempts);
            return;
        }

        string error;
        var peer = archive.Peers.Find(p => string.Equals(p.AeTitle.Trim(), pending.CallingAe, StringComparison.Ordinal));
        if (peer is null)
        {
            error = $"{pending.CallingAe} is not listed in Archive:Peers";
        }
        else
        {
            try
            {
                var outcome = await DeliverAsync(peer, pending, stoppingToken).ConfigureAwait(false);
                await CompleteAsync(pending, outcome, "new association", stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or DicomAbortException
                or DicomAssociationRejectedException or InvalidOperationException or DicomContentException
                || (ex is OperationCanceledException && !stoppingToken.IsCancellationRequested))
            {
                error = ex.Message;
            }
        }

        var attempts = pending.Attempts + 1;
        var next = now.AddSeconds(archive.StorageCommitment.RetryIntervalSeconds);
        await holder.Store.RescheduleCommitmentAsync(pending.TransactionUid, attempts, next, error, stoppingToken).ConfigureAwait(false);
        LogRetry(logger, pending.TransactionUid, pending.CallingAe, attempts, error, next);
    }

    private async Task<CommitmentOutcome> DeliverAsync(PeerOptions peer, PendingCommitment pending, CancellationToken ct)
    {
        var archive = options.Value;
        var clientOptions = new DicomClientOptions
        {
            CallingAeTitle = archive.AeTitle,
            CalledAeTitle = peer.AeTitle.Trim(),
            MaxPduLength = archive.MaxPduLength,
            AssociationTimeout = TimeSpan.FromSeconds(archive.AssociationTimeoutSeconds),
            DimseTimeout = TimeSpan.FromSeconds(archive.DimseTimeoutSeconds),
            TimeProvider = time,
            Tls = peer.Tls ? archive.Tls.ToClientTls(peer.Host) : null,
        };

        // PS3.4 J.3.3 / PS3.7 D.3.3.4: as association requester we ask for the SCP role of the SOP class (SCU role 0,
        // SCP role 1), which lets us send the N-EVENT-REPORT.
        clientOptions.RoleSelections.Add(new ScpScuRoleSelection(DicomNetworkUids.StorageCommitmentPushModel, ScuRole: false, ScpRole: true));
        PresentationContextRequest[] contexts =
        [
            new(1, DicomNetworkUids.StorageCommitmentPushModel, DicomNetworkUids.ExplicitVRLittleEndian, DicomNetworkUids.ImplicitVRLittleEndian),
        ];
        // Verified (files re-hashed) before connecting, so the requester does not wait on an idle association.
        var results = await holder.Store.VerifyCommitmentAsync(pending.Items, ct).ConfigureAwait(false);
        var client = await DicomClient.ConnectAsync(peer.Host, peer.Port, clientOptions, contexts, loggerFactory.CreateLogger<DicomClient>(), ct)
            .ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            var context = client.FindContext(DicomNetworkUids.StorageCommitmentPushModel)
                ?? throw new InvalidOperationException($"{peer.AeTitle} did not accept the Storage Commitment Push Model");
            foreach (var role in client.Accept.UserInformation.RoleSelections)
            {
                if (role.SopClassUid == DicomNetworkUids.StorageCommitmentPushModel && !role.ScpRole)
                {
                    throw new InvalidOperationException($"{peer.AeTitle} refused the SCP role for Storage Commitment");
                }
            }

            var outcome = Encode(pending, results, context.TransferSyntax ?? DicomNetworkUids.ImplicitVRLittleEndian);
            var response = await client.EventReportAsync(outcome.Report.SopClassUid, outcome.Report.SopInstanceUid, outcome.Report.EventTypeId,
                outcome.Report.EventInformation, ct).ConfigureAwait(false);
            try
            {
                await client.ReleaseAsync(ct).ConfigureAwait(false);
            }
            catch (DicomAbortException)
            {
                // The report was answered; a failed release does not change that.
            }

            return response.Status.IsSuccess
                ? outcome
                : throw new InvalidOperationException($"{peer.AeTitle} answered the N-EVENT-REPORT with {response.Status}");
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information,
        Message = "Storage commitment {TransactionUid} for {RequesterAe}: event type {EventType} delivered ({Committed} committed, {Failed} failed) on the {Route}")]
    private static partial void LogDelivered(ILogger logger, string transactionUid, string requesterAe, ushort eventType, int committed,
        int failed, string route);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning,
        Message = "Storage commitment {TransactionUid} for {RequesterAe}: attempt {Attempts} failed ({Error}); next at {NextAttempt:u}")]
    private static partial void LogRetry(ILogger logger, string transactionUid, string requesterAe, int attempts, string error,
        DateTimeOffset nextAttempt);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Error,
        Message = "Storage commitment {TransactionUid} for {RequesterAe} expired undelivered after {Attempts} attempts (last error: {Error})")]
    private static partial void LogExpired(ILogger logger, string transactionUid, string requesterAe, int attempts, string error);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning,
        Message = "Storage commitment {TransactionUid}: {SopInstanceUid} not committed, failure reason {FailureReason:X4} ({Detail})")]
    private static partial void LogItemFailed(ILogger logger, string transactionUid, string sopInstanceUid, ushort failureReason, string detail);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information,
        Message = "Storage commitment {TransactionUid}: not delivered on the request's association ({Reason}); a new association follows")]
    private static partial void LogNotOnSameAssociation(ILogger logger, string transactionUid, string reason);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Error, Message = "Storage commitment delivery round failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}
