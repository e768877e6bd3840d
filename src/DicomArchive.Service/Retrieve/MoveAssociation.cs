using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Service.Configuration;
using DicomArchive.Storage;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Service.Retrieve;

/// <summary>
/// The association the archive opens to a C-MOVE destination (PS3.4 C.4.2.3: the SCP becomes a Storage SCU): our AE
/// as calling AE; for each SOP class to send, one presentation context with Explicit and Implicit VR Little Endian,
/// and one per other stored transfer syntax of that class, so the destination can take each instance as stored.
/// </summary>
internal sealed class MoveAssociation : ISubOperationTarget, IAsyncDisposable
{
    /// <summary>PS3.8 9.3.2.2: context IDs are odd numbers 1-255, so at most 128 contexts.</summary>
    private const int MaximumContexts = 128;

    private readonly DicomClient client;
    private readonly string originatorAeTitle;
    private readonly ushort originatorMessageId;

    private MoveAssociation(DicomClient client, string name, string originatorAeTitle, ushort originatorMessageId)
    {
        this.client = client;
        Name = name;
        this.originatorAeTitle = originatorAeTitle;
        this.originatorMessageId = originatorMessageId;
    }

    public string Name { get; }

    /// <summary>Connects and negotiates.</summary>
    /// <exception cref="Exception">The destination cannot be reached, rejects or aborts (socket, reject, abort, timeout exceptions).</exception>
    public static async Task<MoveAssociation> OpenAsync(PeerOptions peer, ArchiveOptions archive, IReadOnlyList<StoredInstance> instances,
        string originatorAeTitle, ushort originatorMessageId, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var options = new DicomClientOptions
        {
            CallingAeTitle = archive.AeTitle,
            CalledAeTitle = peer.AeTitle.Trim(),
            MaxPduLength = archive.MaxPduLength,
            AssociationTimeout = TimeSpan.FromSeconds(archive.AssociationTimeoutSeconds),
            DimseTimeout = TimeSpan.FromSeconds(archive.DimseTimeoutSeconds),
            Tls = peer.Tls ? archive.Tls.ToClientTls(peer.Host) : null,
        };
        var client = await DicomClient.ConnectAsync(peer.Host, peer.Port, options, ProposeContexts(instances),
            loggerFactory.CreateLogger<MoveAssociation>(), ct).ConfigureAwait(false);
        return new MoveAssociation(client, peer.AeTitle.Trim(), originatorAeTitle, originatorMessageId);
    }

    /// <summary>The contexts to propose: the uncompressed pair per SOP class first, then the other stored syntaxes while IDs last.</summary>
    internal static List<PresentationContextRequest> ProposeContexts(IReadOnlyList<StoredInstance> instances)
    {
        var classes = new List<string>();
        var stored = new List<(string SopClass, string Syntax)>();
        var seenClasses = new HashSet<string>(StringComparer.Ordinal);
        var seenPairs = new HashSet<(string, string)>();
        foreach (var instance in instances)
        {
            if (seenClasses.Add(instance.SopClassUid))
            {
                classes.Add(instance.SopClassUid);
            }

            if (instance.TransferSyntaxUid != TransferSyntax.ExplicitVRLittleEndian.Uid && instance.TransferSyntaxUid != TransferSyntax.ImplicitVRLittleEndian.Uid
                && seenPairs.Add((instance.SopClassUid, instance.TransferSyntaxUid)))
            {
                stored.Add((instance.SopClassUid, instance.TransferSyntaxUid));
            }
        }

        var contexts = new List<PresentationContextRequest>();
        foreach (var sopClass in classes)
        {
            if (contexts.Count == MaximumContexts)
            {
                break;
            }

            contexts.Add(new PresentationContextRequest((byte)((contexts.Count * 2) + 1), sopClass,
                TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid));
        }

        foreach (var (sopClass, syntax) in stored)
        {
            if (contexts.Count == MaximumContexts)
            {
                break;
            }

            contexts.Add(new PresentationContextRequest((byte)((contexts.Count * 2) + 1), sopClass, syntax));
        }

        return contexts;
    }

    public IReadOnlyCollection<string> AcceptedTransferSyntaxes(string sopClassUid)
    {
        var accepted = new List<string>(2);
        foreach (var context in client.PresentationContexts.Values)
        {
            if (context.IsAccepted && context.TransferSyntax is not null && string.Equals(context.AbstractSyntax, sopClassUid, StringComparison.Ordinal))
            {
                accepted.Add(context.TransferSyntax);
            }
        }

        return accepted;
    }

    public async Task<DimseStatus> StoreAsync(StoredInstance instance, TransferSyntax syntax, Stream dataSet, CancellationToken ct)
    {
        var response = await client.StoreAsync(instance.SopClassUid, instance.SopInstanceUid, syntax.Uid, dataSet, originatorAeTitle,
            originatorMessageId, ct).ConfigureAwait(false);
        return response.Status ?? DimseStatus.ProcessingFailure;
    }

    /// <summary>Releases the association (aborts it when it is broken or the release is not answered).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (client.IsEstablished)
            {
                await client.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is Dicom.Network.DicomAbortException or IOException or TimeoutException or InvalidOperationException)
        {
            // The destination went away while we released: nothing is left to do but close.
        }
        finally
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }
}
