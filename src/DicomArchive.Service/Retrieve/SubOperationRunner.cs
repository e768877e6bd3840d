using System.Runtime.CompilerServices;
using DicomArchive.Dicom;
using DicomArchive.Dicom.Network;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Storage;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Service.Retrieve;

/// <summary>
/// Runs the C-STORE sub-operations of a C-MOVE or C-GET one after the other (PS3.4 C.4.2.3, C.4.3.3), yielding a
/// pending response after each with the remaining/completed/failed/warning counts and a final one at the end. A
/// cancelled token (C-CANCEL) stops it between two sub-operations.
/// </summary>
internal static class SubOperationRunner
{
    /// <param name="instances">The instances to send.</param>
    /// <param name="target">The association the sub-operations go on.</param>
    /// <param name="progress">The counts, read by the caller for its audit record whatever way the run ends.</param>
    /// <param name="survivesAssociationLoss">
    /// C-MOVE: when the destination association fails, the remaining sub-operations fail and the C-MOVE ends normally
    /// on the requester's association. C-GET: the failure is the requester's own association's, so it propagates.
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
            var syntax = RetrieveSyntax.Choose(instance.TransferSyntaxUid, target.AcceptedTransferSyntaxes(instance.SopClassUid));
            if (syntax is null)
            {
                RetrieveLog.NoAcceptedSyntax(logger, instance.SopInstanceUid, instance.SopClassUid, instance.TransferSyntaxUid, target.Name);
                progress.Fail(instance.SopInstanceUid);
            }
            else
            {
                string? lostReason = null;
                try
                {
                    var status = await StoredInstanceSource.SendAsync(instance, syntax, data => SendAsync(target, instance, syntax, data, ct), ct)
                        .ConfigureAwait(false);
                    progress.Record(instance.SopInstanceUid, status);
                    if (!status.IsSuccess)
                    {
                        RetrieveLog.SubOperationStatus(logger, instance.SopInstanceUid, target.Name, status.Code, status.ErrorComment ?? "");
                    }
                }
                catch (SubOperationAssociationException ex) when (survivesAssociationLoss && !ct.IsCancellationRequested)
                {
                    lostReason = ex.Message;
                    progress.Fail(instance.SopInstanceUid);
                }
                catch (SubOperationAssociationException ex)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException!);
                    throw;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DicomContentException)
                {
                    // The stored file could not be read: this sub-operation fails, the others go on.
                    RetrieveLog.SourceUnreadable(logger, ex, instance.SopInstanceUid, instance.FullPath);
                    progress.Fail(instance.SopInstanceUid);
                }

                if (lostReason is not null)
                {
                    RetrieveLog.AssociationLost(logger, target.Name, lostReason, instances.Count - i - 1);
                    for (var j = i + 1; j < instances.Count; j++)
                    {
                        progress.Fail(instances[j].SopInstanceUid);
                    }

                    yield return progress.Final($"Association to {target.Name} failed: {lostReason}");
                    yield break;
                }
            }

            if (progress.Remaining > 0)
            {
                yield return progress.Pending();
            }
        }

        yield return progress.Final();
    }

    private static async Task<DimseStatus> SendAsync(ISubOperationTarget target, StoredInstance instance, TransferSyntax syntax, Stream data,
        CancellationToken ct)
    {
        try
        {
            return await target.StoreAsync(instance, syntax, data, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomAbortException or IOException or TimeoutException or DicomContentException or InvalidOperationException
            or NotSupportedException or OperationCanceledException)
        {
            // Part of the message may be on the wire: the association cannot carry anything more.
            throw new SubOperationAssociationException(ex);
        }
    }
}
