using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Index;

/// <summary>
/// The duplicate check of every C-STORE: is this SOP Instance UID indexed, and under which file? Keeps a few open read
/// connections, each with its statement prepared once, instead of opening a pooled connection (and re-running its
/// pragmas) and parsing the SQL for every instance. Reads run concurrently with the writer (WAL).
/// </summary>
/// <remarks>
/// A UID that is new to the archive (nearly every C-STORE) is answered without a query, from a Bloom filter of every
/// indexed UID (<see cref="SopInstanceUidFilter"/>): each query opened a read transaction, which after every commit
/// starts with an empty page cache, reads its pages back from the WAL and takes file locks (per small instance at four
/// associations, pread 2.56 -> 0.28 and fcntl 3.45 -> 3.0 without it; docs/performance.md, fifth pass). The filter is
/// filled from the index on a background task that the first lookup starts; until that finishes every UID is
/// queried. Every row written after the lookup was created must be announced with <see cref="Remember"/> before its
/// transaction commits (the store does it under the UID's lock, so a second store of the same UID, which waits for
/// that lock, always queries).
/// </remarks>
internal sealed class InstanceLookup : IDisposable
{
    /// <summary>More idle connections than this are closed after use (a burst of associations does not keep them all).</summary>
    private const int MaxIdle = 8;

    /// <summary>The filter holds at least this many UIDs at under 1% false positives (2 MiB: bits round up to a power of two).</summary>
    internal const long MinimumFilterCapacity = 1 << 20;

    private readonly ConcurrentBag<Lookup> idle = [];
    private readonly IndexDatabase database;
    private readonly SopInstanceUidFilter filter;
    private readonly CancellationTokenSource stopLoading = new();
    private volatile bool filterLoaded;
    private Task? loading;
    private bool disposed;
    private long queries;

    /// <summary>Sizes the filter for twice the instances indexed now; it is filled from the first lookup on (see <see cref="Loaded"/>).</summary>
    /// <remarks>Runs on the start-up path: nothing here may scan the index.</remarks>
    public InstanceLookup(IndexDatabase database)
    {
        this.database = database;
        long indexed;
        using (var connection = database.OpenForRead())
        using (var count = connection.CreateCommand())
        {
            // The highest row key, not COUNT(*): one step down the table's b-tree instead of a scan of an index, and
            // never below the number of rows.
            count.CommandText = "SELECT COALESCE(MAX(pk), 0) FROM instances";
            indexed = (long)count.ExecuteScalar()!;
        }

        filter = new SopInstanceUidFilter(Math.Max(MinimumFilterCapacity, 2 * indexed));
    }

    /// <summary>
    /// Starts filling the filter if nothing has yet, and completes when it holds every UID indexed when the lookup was
    /// created (then queries become rare). The first lookup starts it too: not at start-up, where reading a million
    /// UIDs on the side slowed the first association by about 0.2 s on two cores.
    /// </summary>
    public Task Loaded => EnsureLoading();

    /// <summary>Index queries run so far (tests: a new UID should not need one).</summary>
    public long Queries => Interlocked.Read(ref queries);

    /// <summary>Announces a row about to be written for <paramref name="sopInstanceUid"/> (call before its commit).</summary>
    public void Remember(string sopInstanceUid) => filter.Add(sopInstanceUid);

    /// <summary>The indexed file path (relative to the StorageRoot) of the instance, or null when it is not indexed.</summary>
    public string? FindFilePath(string sopInstanceUid)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (filterLoaded)
        {
            if (!filter.MayContain(sopInstanceUid))
            {
                return null;
            }
        }
        else
        {
            EnsureLoading();
        }

        Interlocked.Increment(ref queries);
        if (!idle.TryTake(out var lookup))
        {
            lookup = new Lookup(database.Open());
        }

        string? path;
        try
        {
            path = lookup.Find(sopInstanceUid);
        }
        catch
        {
            lookup.Dispose();
            throw;
        }

        if (Volatile.Read(ref disposed) || idle.Count >= MaxIdle)
        {
            lookup.Dispose();
        }
        else
        {
            idle.Add(lookup);
        }

        return path;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, true))
        {
            return;
        }

        stopLoading.Cancel();
        Volatile.Read(ref loading)?.GetAwaiter().GetResult();
        stopLoading.Dispose();
        while (idle.TryTake(out var lookup))
        {
            lookup.Dispose();
        }
    }

    private Task EnsureLoading()
    {
        if (Volatile.Read(ref loading) is { } started)
        {
            return started;
        }

        var load = new Task(LoadFilter);
        if (Interlocked.CompareExchange(ref loading, load, null) is { } other)
        {
            return other;
        }

        load.Start(TaskScheduler.Default);
        return load;
    }

    /// <summary>
    /// Adds every indexed UID to the filter, streamed one row at a time (the SELECT alone reads a million in about a
    /// quarter of a second). Rows committed after this read began were announced with <see cref="Remember"/>, so
    /// together nothing is missed. A failure leaves the filter unused: every UID is then queried, as before it loaded.
    /// </summary>
    private void LoadFilter()
    {
        try
        {
            var ct = stopLoading.Token;
            using var connection = database.OpenForRead();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sop_instance_uid FROM instances";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                filter.Add(reader.GetString(0));
            }

            filterLoaded = true;
        }
        catch (Exception ex) when (ex is SqliteException or ObjectDisposedException)
        {
            // Not loaded (a failing index, or the lookup disposed as a first lookup started it): queries stay on.
        }
    }

    private sealed class Lookup : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly SqliteCommand command;
        private readonly SqliteParameter uid;

        public Lookup(SqliteConnection connection)
        {
            this.connection = connection;
            command = connection.CreateCommand();
            command.CommandText = "SELECT file_path FROM instances WHERE sop_instance_uid = @uid";
            uid = command.Parameters.Add("@uid", SqliteType.Text);
        }

        public string? Find(string sopInstanceUid)
        {
            uid.Value = sopInstanceUid;
            using var reader = command.ExecuteReader();
            return reader.Read() ? reader.GetString(0) : null;
        }

        public void Dispose()
        {
            command.Dispose();
            connection.Dispose();
        }
    }
}
