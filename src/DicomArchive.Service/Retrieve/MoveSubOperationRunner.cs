using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Storage;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Service.Retrieve;

/// <summary>
/// Runs the C-STORE sub-operations of one C-MOVE over one or more associations to the destination at once.
/// </summary>
/// <remarks>
/// <para>
/// PS3.4 C.4.2.3.1 asks the SCP to "either re-use an established and compatible Association or establish a new
/// Association for the C-STORE sub-operations" and to report their counts; it does not tie them to a single
/// association, and each C-STORE-RQ names the C-MOVE it belongs to by Move Originator AE Title and Message ID (PS3.7
/// 9.1.1.1), not by the association it travels on. DIMSE is lockstep (asynchronous operations window 1, PS3.7
/// D.3.3.3), so on one association the destination's work and ours never overlap; on two they do.
/// </para>
/// <para>
/// The first association is the caller's, already open. The extra ones (up to <c>extraAssociations</c>, each only if
/// a slot to the destination is free right now) open in the background and take work only once established: every
/// association pulls the next instance from one shared index, so an extra one that is slow to open, refused, or held
/// unanswered (a destination serving one association at a time) leaves all the work to the others. When no instance
/// is left, the opens still pending are cancelled (their connections closed). An association that fails fails its
/// in-flight sub-operation; the others carry on; only when none is left do the remaining sub-operations fail.
/// </para>
/// <para>
/// Each finished sub-operation is counted and its pending response queued under one lock, so the responses go out in
/// the order the counts changed: remaining strictly decreasing, completed/failed/warning never decreasing. C-CANCEL
/// stops handing out instances; the in-flight ones finish (a C-STORE half on the wire cannot be taken back without
/// aborting), and the final response counts the never-started ones as remaining.
/// </para>
/// </remarks>
internal sealed class MoveSubOperationRunner(IReadOnlyList<StoredInstance> instances, RetrieveProgress progress, ILogger logger)
{
    private readonly Channel<RetrieveStatus> finished = Channel.CreateUnbounded<RetrieveStatus>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly Lock publishGate = new();
    private int next;
    private int working;
    private volatile bool stopped;
    private volatile string? lostReason;

    /// <param name="first">The association already open to the destination; the caller releases it.</param>
    /// <param name="extraAssociations">How many more associations to try (Peers[i].AssociationsPerMove - 1).</param>
    /// <param name="tryAcquireSlot">A destination slot if one is free right now, else null (never waits).</param>
    /// <param name="openExtra">Opens one more association to the destination; cancelled when it is no longer needed.</param>
    /// <param name="ct">Cancelled by C-CANCEL (or the loss of the requester's association).</param>
    public async IAsyncEnumerable<RetrieveStatus> RunAsync(ISubOperationTarget first, int extraAssociations, Func<IDisposable?> tryAcquireSlot,
        Func<CancellationToken, Task<MoveAssociation>> openExtra, [EnumeratorCancellation] CancellationToken ct)
    {
        using var opening = CancellationTokenSource.CreateLinkedTokenSource(ct);

        // One count for the set-up itself, so the queue of responses cannot complete before every worker has started.
        working = 1;
        var workers = new List<Task>(1 + Math.Max(0, extraAssociations));
        Interlocked.Increment(ref working);
        workers.Add(RunFirstAsync(first, opening, ct));

        // More associations than instances left would only ever be released unused.
        var wanted = Math.Min(extraAssociations, instances.Count - 1);
        for (var i = 0; i < wanted; i++)
        {
            var number = i + 2;
            var slot = tryAcquireSlot();
            if (slot is null)
            {
                RetrieveLog.NoSlotForExtraAssociation(logger, first.Name, number);
                break;
            }

            Interlocked.Increment(ref working);
            workers.Add(RunExtraAsync(number, first.Name, slot, openExtra, opening, ct));
        }

        Exit();
        try
        {
            // Not cancelled by ct: after C-CANCEL the in-flight sub-operations still report, then the final response.
            await foreach (var status in finished.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // PS3.4 C.4.2.1.6: a pending response after each sub-operation but the last, which the final one reports.
                if (status.Remaining > 0)
                {
                    yield return status;
                }
            }
        }
        finally
        {
            // Early only when the caller stopped reading (its association failed): hand out nothing more and wait for the
            // in-flight sub-operations, so no association outlives the C-MOVE.
            stopped = true;
            await opening.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        var untaken = Math.Min(Volatile.Read(ref next), instances.Count);
        if (untaken < instances.Count && !ct.IsCancellationRequested && lostReason is { } reason)
        {
            // Every association is lost: the sub-operations never started fail (PS3.4 C.4.2.3.1 counts each as failed).
            RetrieveLog.AssociationLost(logger, first.Name, reason, instances.Count - untaken);
            for (var j = untaken; j < instances.Count; j++)
            {
                progress.Fail(instances[j].SopInstanceUid);
            }

            yield return progress.Final($"Association to {first.Name} failed: {reason}");
            yield break;
        }

        yield return ct.IsCancellationRequested ? progress.Final(DimseStatus.Cancel) : progress.Final();
    }

    private async Task RunFirstAsync(ISubOperationTarget association, CancellationTokenSource opening, CancellationToken ct)
    {
        try
        {
            await WorkAsync(association, 1, opening, ct).ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    private async Task RunExtraAsync(int number, string peer, IDisposable slot, Func<CancellationToken, Task<MoveAssociation>> openExtra,
        CancellationTokenSource opening, CancellationToken ct)
    {
        try
        {
            // Off the caller's path: the first association starts sending while this one negotiates.
            await Task.Yield();
            MoveAssociation association;
            try
            {
                association = await openExtra(opening.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (opening.IsCancellationRequested)
                {
                    RetrieveLog.ExtraAssociationNotNeeded(logger, peer, number);
                }
                else
                {
                    RetrieveLog.ExtraAssociationNotOpened(logger, peer, number, ex.Message);
                }

                return;
            }

            await using (association.ConfigureAwait(false))
            {
                await WorkAsync(association, number, opening, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            slot.Dispose();
            Exit();
        }
    }

    private async Task WorkAsync(ISubOperationTarget association, int number, CancellationTokenSource opening, CancellationToken ct)
    {
        while (TryTake(opening, ct, out var instance))
        {
            // Not cancelled by C-CANCEL: an interrupted C-STORE would abort the association (see the remarks).
            var outcome = await SubOperation.PerformAsync(instance, association, survivesAssociationLoss: true, logger, CancellationToken.None)
                .ConfigureAwait(false);
            lock (publishGate)
            {
                progress.Record(instance.SopInstanceUid, outcome.Status);
                finished.Writer.TryWrite(progress.Pending());
            }

            if (outcome.AssociationLost is { } reason)
            {
                lostReason = reason;
                RetrieveLog.OneAssociationLost(logger, association.Name, number, reason);
                return;
            }
        }
    }

    /// <summary>The next instance to send, unless none is left, the move is cancelled or the caller stopped.</summary>
    private bool TryTake(CancellationTokenSource opening, CancellationToken ct, out StoredInstance instance)
    {
        if (!ct.IsCancellationRequested && !stopped)
        {
            var index = Interlocked.Increment(ref next) - 1;
            if (index < instances.Count)
            {
                instance = instances[index];
                return true;
            }
        }

        // Nothing more to hand out: associations still negotiating are not needed (closing them aborts the attempt).
        opening.Cancel();
        instance = null!;
        return false;
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref working) == 0)
        {
            finished.Writer.TryComplete();
        }
    }
}
