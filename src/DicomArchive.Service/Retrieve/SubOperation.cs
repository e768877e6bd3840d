using DicomArchive.Dicom;
using DicomArchive.Dicom.Network;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Storage;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Service.Retrieve;

/// <summary>How one C-STORE sub-operation ended: the status to count it by, and why its association is lost, if it is.</summary>
/// <param name="Status">The peer's C-STORE-RSP status, or a failure when the instance could not be sent.</param>
/// <param name="AssociationLost">Null while the association can carry more; else the reason it cannot.</param>
internal readonly record struct SubOperationOutcome(DimseStatus Status, string? AssociationLost);

/// <summary>
/// One C-STORE sub-operation of a C-MOVE or C-GET (PS3.4 C.4.2.3, C.4.3.3): chooses the transfer syntax the peer
/// accepted, streams the stored file, and turns every way it can fail into a failed sub-operation, so that the
/// sequential runner (C-GET) and the C-MOVE runner over several associations share one send-and-catch path.
/// </summary>
internal static class SubOperation
{
    /// <param name="instance">The instance to send.</param>
    /// <param name="target">The association it goes on.</param>
    /// <param name="survivesAssociationLoss">
    /// C-MOVE: a failure of the destination association fails this sub-operation and is reported in the outcome. C-GET:
    /// the failure is the requester's own association's, so it propagates.
    /// </param>
    /// <param name="logger">Logs a failed sub-operation with its reason.</param>
    /// <param name="ct">Cancels the send (and so breaks the association).</param>
    public static async Task<SubOperationOutcome> PerformAsync(StoredInstance instance, ISubOperationTarget target, bool survivesAssociationLoss,
        ILogger logger, CancellationToken ct)
    {
        var syntax = RetrieveSyntax.Choose(instance.TransferSyntaxUid, target.AcceptedTransferSyntaxes(instance.SopClassUid));
        if (syntax is null)
        {
            RetrieveLog.NoAcceptedSyntax(logger, instance.SopInstanceUid, instance.SopClassUid, instance.TransferSyntaxUid, target.Name);
            return new SubOperationOutcome(DimseStatus.ProcessingFailure, null);
        }

        try
        {
            var status = await StoredInstanceSource.SendAsync(instance, syntax, data => SendAsync(target, instance, syntax, data, ct), ct)
                .ConfigureAwait(false);
            if (!status.IsSuccess)
            {
                RetrieveLog.SubOperationStatus(logger, instance.SopInstanceUid, target.Name, status.Code, status.ErrorComment ?? "");
            }

            return new SubOperationOutcome(status, null);
        }
        catch (SubOperationAssociationException ex) when (survivesAssociationLoss && !ct.IsCancellationRequested)
        {
            return new SubOperationOutcome(DimseStatus.ProcessingFailure, ex.Message);
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
            return new SubOperationOutcome(DimseStatus.ProcessingFailure, null);
        }
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
