using System.Runtime.CompilerServices;
using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Configuration;
using DicomArchive.Service.Hosting;
using DicomArchive.Service.Retrieve;
using DicomArchive.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DicomArchive.Service.Dimse;

/// <summary>
/// C-GET SCP (PS3.4 C.4.3) for the Patient Root and Study Root models: the identifier is resolved with the query
/// engine's rules and each instance goes back as a C-STORE sub-operation on the requester's own association, on a
/// storage context it proposed (with the SCP role, PS3.7 D.3.3.4), in the stored syntax when accepted, otherwise
/// converted to an accepted uncompressed one. C-CANCEL stops it between two sub-operations.
/// </summary>
internal sealed class ArchiveGetHandler(ArchiveStoreHolder holder, IOptions<ArchiveOptions> options, AuditTrail audit, ILoggerFactory loggerFactory)
    : IGetHandler
{
    private readonly ILogger logger = loggerFactory.CreateLogger<ArchiveGetHandler>();

    public async IAsyncEnumerable<RetrieveStatus> OnGetAsync(DimseRequest request, ReadOnlyMemory<byte> identifier, IGetSubOperationSender sender,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sender);
        var resolution = await RetrieveResolution.ResolveAsync(holder.Store, options.Value, request, identifier, '3', cancellationToken)
            .ConfigureAwait(false);
        var progress = new RetrieveProgress(resolution.Instances.Count, resolution.IdentifierSyntax);
        ushort final = DimseStatus.Cancel.Code;
        try
        {
            if (resolution.Refusal is { } refusal)
            {
                final = refusal.Code;
                yield return new RetrieveStatus(refusal, 0, 0, 0, 0);
                yield break;
            }

            var target = new GetTarget(request.Association, sender);
            await foreach (var status in GetSubOperationRunner.RunAsync(resolution.Instances, target, progress, logger,
                cancellationToken).ConfigureAwait(false))
            {
                if (!status.Status.IsPending)
                {
                    final = status.Status.Code;
                }

                yield return status;
            }
        }
        finally
        {
            audit.Retrieve(request.Association, "GET", request.Association.CallingAeTitle, resolution.Model, resolution.Level, resolution.Keys,
                progress.Total, progress.Completed, progress.Failed, progress.Warning, final);
        }
    }

    /// <summary>The requester's association: the storage contexts it proposed and we accepted.</summary>
    private sealed class GetTarget(DicomAssociationInfo association, IGetSubOperationSender sender) : ISubOperationTarget
    {
        public string Name => association.CallingAeTitle;

        public IReadOnlyCollection<string> AcceptedTransferSyntaxes(string sopClassUid)
        {
            var accepted = new List<string>(2);
            foreach (var context in association.PresentationContexts.Values)
            {
                if (context.IsAccepted && context.TransferSyntax is not null && string.Equals(context.AbstractSyntax, sopClassUid, StringComparison.Ordinal))
                {
                    accepted.Add(context.TransferSyntax);
                }
            }

            return accepted;
        }

        public async Task<DimseStatus> StoreAsync(StoredInstance instance, TransferSyntax syntax, Stream dataSet, CancellationToken ct) =>
            await sender.StoreAsync(instance.SopClassUid, instance.SopInstanceUid, syntax.Uid, dataSet, ct).ConfigureAwait(false);
    }
}
