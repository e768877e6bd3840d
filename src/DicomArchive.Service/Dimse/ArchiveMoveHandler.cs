using System.Runtime.CompilerServices;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Configuration;
using DicomArchive.Service.Hosting;
using DicomArchive.Service.Retrieve;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DicomArchive.Service.Dimse;

/// <summary>
/// C-MOVE SCP (PS3.4 C.4.2) for the Patient Root and Study Root models: the destination is looked up in
/// Archive:Peers, the identifier resolved with the query engine's rules, and the instances sent over new associations
/// to the destination (the first waits for a slot, up to Peers[i].AssociationsPerMove - 1 more only if slots are free;
/// at most Peers[i].MaxAssociations at once over all moves), streamed from disk, with a pending response after each
/// sub-operation. C-CANCEL stops handing out instances.
/// </summary>
internal sealed class ArchiveMoveHandler(
    ArchiveStoreHolder holder, IOptions<ArchiveOptions> options, MoveDestinations destinations, AuditTrail audit, ILoggerFactory loggerFactory)
    : IMoveHandler
{
    private readonly ILogger logger = loggerFactory.CreateLogger<ArchiveMoveHandler>();

    public async IAsyncEnumerable<RetrieveStatus> OnMoveAsync(DimseRequest request, string destinationAeTitle, ReadOnlyMemory<byte> identifier,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destinationAeTitle);
        var archive = options.Value;
        var destination = destinationAeTitle.Trim();
        var peer = destinations.Find(destination);
        if (peer is null)
        {
            // PS3.4 C.4.2.1.5: Refused: Move Destination unknown.
            RetrieveLog.UnknownDestination(logger, destination);
            audit.Retrieve(request.Association, "MOVE", destination, "", "", "", 0, 0, 0, 0, DimseStatus.MoveDestinationUnknown.Code);
            yield return new RetrieveStatus(DimseStatus.MoveDestinationUnknown.WithComment($"Unknown destination {destination}: add it to Archive:Peers"),
                0, 0, 0, 0);
            yield break;
        }

        var resolution = await RetrieveResolution.ResolveAsync(holder.Store, archive, request, identifier, '2', cancellationToken).ConfigureAwait(false);
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

            if (resolution.Instances.Count == 0)
            {
                final = DimseStatus.Success.Code;
                yield return progress.Final();
                yield break;
            }

            using var slot = await destinations.AcquireAsync(peer, cancellationToken).ConfigureAwait(false);
            MoveAssociation? association = null;
            string? unreachable = null;
            try
            {
                association = await MoveAssociation.OpenAsync(peer, archive, resolution.Instances, request.Association.CallingAeTitle, request.MessageId,
                    loggerFactory, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                unreachable = ex.Message;
                RetrieveLog.DestinationUnreachable(logger, ex, destination, peer.Host, peer.Port, ex.Message);
            }

            if (association is null)
            {
                // PS3.4 C.4.2.1.5: Refused: Out of Resources – Unable to perform sub-operations.
                foreach (var instance in resolution.Instances)
                {
                    progress.Fail(instance.SopInstanceUid);
                }

                final = RetrieveProgress.UnableToPerformSubOperations.Code;
                yield return progress.Final(RetrieveProgress.UnableToPerformSubOperations.WithComment($"{destination} unreachable: {unreachable}"));
                yield break;
            }

            await using (association.ConfigureAwait(false))
            {
                var runner = new MoveSubOperationRunner(resolution.Instances, progress, logger);
                var originator = request.Association.CallingAeTitle;
                await foreach (var status in runner.RunAsync(association, peer.EffectiveAssociationsPerMove - 1, () => destinations.TryAcquire(peer),
                    token => MoveAssociation.OpenAsync(peer, archive, resolution.Instances, originator, request.MessageId, loggerFactory, token),
                    cancellationToken).ConfigureAwait(false))
                {
                    if (!status.Status.IsPending)
                    {
                        final = status.Status.Code;
                    }

                    yield return status;
                }
            }
        }
        finally
        {
            audit.Retrieve(request.Association, "MOVE", destination, resolution.Model, resolution.Level, resolution.Keys, progress.Total,
                progress.Completed, progress.Failed, progress.Warning, final);
        }
    }
}
