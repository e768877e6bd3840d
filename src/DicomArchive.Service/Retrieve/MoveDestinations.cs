using System.Collections.Concurrent;
using DicomArchive.Service.Configuration;
using Microsoft.Extensions.Options;

namespace DicomArchive.Service.Retrieve;

/// <summary>
/// The C-MOVE destinations (Archive:Peers, looked up by Move Destination AE title, PS3.4 C.4.2.1.3) and, per
/// destination, the limit on the associations open to it at once (Peers[i].MaxAssociations).
/// </summary>
internal sealed class MoveDestinations(IOptions<ArchiveOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> limits = new(StringComparer.Ordinal);

    /// <summary>The configured peer with this AE title (trailing spaces are not significant, PS3.8 9.3.1), or null.</summary>
    public PeerOptions? Find(string aeTitle)
    {
        var wanted = aeTitle.Trim();
        foreach (var peer in options.Value.Peers)
        {
            if (string.Equals(peer.AeTitle.Trim(), wanted, StringComparison.Ordinal))
            {
                return peer;
            }
        }

        return null;
    }

    /// <summary>Waits for a free association slot to <paramref name="peer"/>; dispose the result to free it.</summary>
    public async Task<IDisposable> AcquireAsync(PeerOptions peer, CancellationToken ct)
    {
        var limit = Limit(peer);
        await limit.WaitAsync(ct).ConfigureAwait(false);
        return new Slot(limit);
    }

    /// <summary>
    /// A free association slot to <paramref name="peer"/> if there is one right now, else null: a C-MOVE's extra
    /// associations (Peers[i].AssociationsPerMove) never wait, so they never hold up another move's first association.
    /// </summary>
    public IDisposable? TryAcquire(PeerOptions peer)
    {
        var limit = Limit(peer);
        return limit.Wait(0) ? new Slot(limit) : null;
    }

    private SemaphoreSlim Limit(PeerOptions peer) =>
        limits.GetOrAdd(peer.AeTitle.Trim(), _ => new SemaphoreSlim(Math.Max(1, peer.MaxAssociations)));

    public void Dispose()
    {
        foreach (var limit in limits.Values)
        {
            limit.Dispose();
        }
    }

    private sealed class Slot(SemaphoreSlim limit) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                limit.Release();
            }
        }
    }
}
