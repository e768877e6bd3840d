using System.Collections.Concurrent;
using System.Net;
using DicomArchive.Dicom.Network;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Service.Tests.Support;

/// <summary>
/// An in-process Storage SCP on a loopback port, a C-MOVE destination that serves associations in parallel (up to
/// <c>maxAssociations</c>; one more is rejected, A-ASSOCIATE-RJ) and records which association brought each instance.
/// A store may be slowed (so two associations overlap) and one association may be dropped midway.
/// </summary>
internal sealed class TestStoreDestination : IStoreHandler, IAsyncDisposable
{
    private readonly DicomServer server;
    private readonly TimeSpan delay;
    private readonly Func<int, int, bool>? abortWhen;
    private readonly ConcurrentDictionary<DicomAssociationInfo, int> associations = new();
    private readonly ConcurrentQueue<(string SopInstanceUid, DicomAssociationInfo Association, string? MoveOriginator)> received = new();
    private int abortedOnce;

    /// <param name="aeTitle">Its AE title (the called AE title is checked).</param>
    /// <param name="port">The loopback port to listen on.</param>
    /// <param name="maxAssociations">Associations served at once; one more is rejected.</param>
    /// <param name="delay">How long each store takes.</param>
    /// <param name="abortWhen">
    /// Given the association's number (1 for the first that stored) and the store's number on it: true drops that
    /// association instead of answering (once per destination), as a destination that aborts midway.
    /// </param>
    private TestStoreDestination(string aeTitle, int port, int maxAssociations, TimeSpan delay, Func<int, int, bool>? abortWhen)
    {
        this.delay = delay;
        this.abortWhen = abortWhen;
        server = new DicomServer(
            new DicomServerOptions { AeTitle = aeTitle, Port = port, ListenAddress = IPAddress.Loopback, MaxAssociations = maxAssociations },
            new DicomServiceHandlers { Store = this });
    }

    /// <summary>Every instance received, in arrival order, with the association it came on.</summary>
    public IReadOnlyCollection<(string SopInstanceUid, DicomAssociationInfo Association, string? MoveOriginator)> Received => received;

    /// <summary>How many associations brought at least one instance.</summary>
    public int AssociationsThatStored => associations.Count;

    public static async Task<TestStoreDestination> StartAsync(string aeTitle, int port, int maxAssociations = 8, TimeSpan delay = default,
        Func<int, int, bool>? abortWhen = null)
    {
        var destination = new TestStoreDestination(aeTitle, port, maxAssociations, delay, abortWhen);
        await destination.server.StartAsync(CancellationToken.None);
        return destination;
    }

    public async ValueTask<DimseStatus> OnStoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
    {
        await dataSet.CopyToAsync(Stream.Null, cancellationToken);
        int number;
        lock (associations)
        {
            number = associations.GetOrAdd(request.Association, associations.Count + 1);
        }

        var storesOnIt = 1;
        foreach (var item in received)
        {
            if (ReferenceEquals(item.Association, request.Association))
            {
                storesOnIt++;
            }
        }

        if (abortWhen is not null && abortWhen(number, storesOnIt) && Interlocked.Exchange(ref abortedOnce, 1) == 0)
        {
            // The server closes the connection without a response: the archive sees the association end mid-operation.
            throw new DicomAbortException("test destination drops the association");
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        received.Enqueue((request.SopInstanceUid, request.Association, request.MoveOriginatorAeTitle));
        return DimseStatus.Success;
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
