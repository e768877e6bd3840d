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
internal static class GetSubOperationRunner
{
    /// <param name="instances">The instances to send.</param>
    /// <param name="target">The association the sub-operations go on.</param>
    /// <param name="progress">The counts, read by the caller for its audit record whatever way the run ends.</param>
    /// <param name="logger">Logs each failed sub-operation with its reason.</param>
    /// <param name="ct">Cancelled by C-CANCEL.</param>
    public static async IAsyncEnumerable<RetrieveStatus> RunAsync(IReadOnlyList<StoredInstance> instances, ISubOperationTarget target,
        RetrieveProgress progress, ILogger logger, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var i = 0; i < instances.Count; i++)
        {
            if (ct.IsCancellationRequested)
            {
                yield return progress.Final(DimseStatus.Cancel);
                yield break;
            }

            var instance = instances[i];
            // The association is the requester's own: when it fails, the failure propagates and ends the C-GET.
            var outcome = await SubOperation.PerformAsync(instance, target, survivesAssociationLoss: false, logger, ct).ConfigureAwait(false);
            progress.Record(instance.SopInstanceUid, outcome.Status);
            if (progress.Remaining > 0)
            {
                yield return progress.Pending();
            }
        }

        yield return progress.Final();
    }
}
