using System.Runtime.CompilerServices;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Storage;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Service.Retrieve;

/// <summary>
/// Runs the C-STORE sub-operations of a C-GET one after the other on the requester's association (PS3.4 C.4.3.3),
/// yielding a pending response after each with the remaining/completed/failed/warning counts and a final one at the
/// end. A cancelled token (C-CANCEL) stops it between two sub-operations. C-MOVE uses <see cref="MoveSubOperationRunner"/>.
/// </summary>
internal static class SubOperationRunner
{
    /// <param name="instances">The instances to send.</param>
    /// <param name="target">The association the sub-operations go on.</param>
    /// <param name="progress">The counts, read by the caller for its audit record whatever way the run ends.</param>
    /// <param name="survivesAssociationLoss">
    /// When the association fails, false (C-GET: it is the requester's own) propagates the failure; true fails the
    /// remaining sub-operations and ends normally.
    /// </param>
    /// <param name="logger">Logs each failed sub-operation with its reason.</param>
    /// <param name="ct">Cancelled by C-CANCEL.</param>
    public static async IAsyncEnumerable<RetrieveStatus> RunAsync(IReadOnlyList<StoredInstance> instances, ISubOperationTarget target,
        RetrieveProgress progress, bool survivesAssociationLoss, ILogger logger, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var i = 0; i < instances.Count; i++)
        {
            if (ct.IsCancellationRequested)
            {
                yield return progress.Final(DimseStatus.Cancel);
                yield break;
            }

            var instance = instances[i];
            var outcome = await SubOperation.PerformAsync(instance, target, survivesAssociationLoss, logger, ct).ConfigureAwait(false);
            progress.Record(instance.SopInstanceUid, outcome.Status);
            if (outcome.AssociationLost is { } lostReason)
            {
                RetrieveLog.AssociationLost(logger, target.Name, lostReason, instances.Count - i - 1);
                for (var j = i + 1; j < instances.Count; j++)
                {
                    progress.Fail(instances[j].SopInstanceUid);
                }

                yield return progress.Final($"Association to {target.Name} failed: {lostReason}");
                yield break;
            }

            if (progress.Remaining > 0)
            {
                yield return progress.Pending();
            }
        }

        yield return progress.Final();
    }
}
