using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Hosting;
using DicomArchive.Storage;

namespace DicomArchive.Service.Dimse;

/// <summary>
/// C-STORE SCP (PS3.4 Annex B): streams the data set, fragment by fragment as it arrives, into the store's temporary
/// file and answers only after the store has made it durable and indexed it (<see cref="IncomingInstance.CommitAsync"/>).
/// </summary>
internal sealed class ArchiveStoreHandler(ArchiveStoreHolder holder, AuditTrail audit) : IStoreHandler
{
    private const int CopyBufferSize = 256 * 1024;

    public async ValueTask<DimseStatus> OnStoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(dataSet);
        var association = request.Association;
        var context = new StoreContext(
            request.SopClassUid,
            request.SopInstanceUid,
            request.TransferSyntaxUid,
            association.CallingAeTitle,
            association.CalledAeTitle,
            association.RemoteAddress);

        var incoming = await holder.Store.BeginStoreAsync(context, cancellationToken).ConfigureAwait(false);
        await using (incoming.ConfigureAwait(false))
        {
            // A refused store (disk space, SOP class) still reads the data set off the wire; its stream discards.
            await dataSet.CopyToAsync(incoming.Stream, CopyBufferSize, cancellationToken).ConfigureAwait(false);
            var result = await incoming.CommitAsync(cancellationToken).ConfigureAwait(false);
            audit.Store(association, request.SopClassUid, request.SopInstanceUid, result.Status, result.ErrorComment, result.IsDuplicate);
            return new DimseStatus(result.Status).WithComment(result.ErrorComment);
        }
    }
}
