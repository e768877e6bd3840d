using DicomArchive.Dicom.Network;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Configuration;
using DicomArchive.Service.Dimse;
using DicomArchive.Service.Hosting;
using DicomArchive.Storage.Commitment;
using Microsoft.Extensions.Options;

namespace DicomArchive.Service.Commitment;

/// <summary>
/// Storage Commitment Push Model SCP, the N-ACTION side (PS3.4 J.3.2). The request is recorded in the index before
/// the N-ACTION-RSP says Success, so it is answered even after a crash; the result is then tried on the same
/// association (PS3.4 J.3.3 allows it while the requester keeps it open), and otherwise delivered by
/// <see cref="StorageCommitmentDelivery"/> on a new association.
/// </summary>
internal sealed class StorageCommitmentHandler(
    ArchiveStoreHolder holder,
    StorageCommitmentDelivery delivery,
    IOptions<ArchiveOptions> options,
    AuditTrail audit,
    TimeProvider time) : IActionHandler
{
    public IReadOnlyCollection<string> SopClassUids { get; } = [DicomNetworkUids.StorageCommitmentPushModel];

    public async ValueTask<ActionResult> OnActionAsync(ActionRequest request, ReadOnlyMemory<byte> actionInformation,
        IEventReportScheduler scheduler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(scheduler);
        if (request.SopInstanceUid != DicomNetworkUids.StorageCommitmentPushModelInstance)
        {
            // PS3.4 J.3.5: the N-ACTION operates on the well-known SOP instance only.
            return Refuse(request, "", 0, DimseStatus.NoSuchSopInstance.WithComment("Not the well-known Storage Commitment instance"));
        }

        if (request.ActionTypeId != StorageCommitmentMessages.RequestStorageCommitment)
        {
            // PS3.7 C.5.4: 0123 no such action.
            return Refuse(request, "", 0, new DimseStatus(0x0123).WithComment($"Action Type ID {request.ActionTypeId} is not 1"));
        }

        if (StorageCommitmentMessages.TryReadRequest(actionInformation, request.TransferSyntaxUid, out var transactionUid, out var references)
            is { } problem)
        {
            // PS3.7 C.4.2 processing failure; PS3.4 J.3.2.1.3: a failure status means the request is not processed.
            return Refuse(request, transactionUid, references.Count, DimseStatus.ProcessingFailure.WithComment(problem));
        }

        var archive = options.Value;
        var now = time.GetUtcNow();
        var pending = new PendingCommitment
        {
            TransactionUid = transactionUid,
            CallingAe = request.Association.CallingAeTitle.Trim(),
            CalledAe = request.Association.CalledAeTitle.Trim(),
            Items = references,
            ReceivedAt = now,
            NextAttemptAt = now,
            ExpiresAt = now.AddSeconds(archive.StorageCommitment.RetrySeconds),
        };

        // In flight before it is in the index, so the delivery loop never races the same-association attempt.
        delivery.BeginInFlight(transactionUid);
        try
        {
            await holder.Store.AddPendingCommitmentAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            delivery.EndInFlight(transactionUid);
            throw;
        }

        audit.CommitmentRequested(request.Association, transactionUid, references.Count, DimseStatus.Success.Code);
        CommitmentOutcome? outcome = null;
        scheduler.Schedule(
            async (transferSyntaxUid, token) =>
            {
                outcome = await delivery.BuildReportAsync(pending, transferSyntaxUid, token).ConfigureAwait(false);
                return outcome.Report;
            },
            async status =>
            {
                try
                {
                    if (outcome is not null && status is { IsSuccess: true })
                    {
                        await delivery.CompleteAsync(pending, outcome, "same association", CancellationToken.None).ConfigureAwait(false);
                    }
                    else
                    {
                        delivery.LogSameAssociationMissed(pending.TransactionUid, status);
                    }
                }
                finally
                {
                    // Not delivered here: the delivery loop opens a new association (the row is still pending and due).
                    delivery.EndInFlight(transactionUid);
                }
            });
        return new ActionResult(DimseStatus.Success);
    }

    private ActionResult Refuse(ActionRequest request, string transactionUid, int instances, DimseStatus status)
    {
        audit.CommitmentRequested(request.Association, transactionUid, instances, status.Code);
        return new ActionResult(status);
    }
}
