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
/// starts with an empty page cache and takes file locks, about 13% of the server's CPU per small instance at four
/// associations (docs/performance.md, fifth pass). The filter is filled from the index on a background task when the
/// store opens; until that finishes every UID is queried. Every row the store writes from then on must be announced
/// with <see cref="Remember"/> before its transaction commits (the store does it under the UID's lock, so a second
/// store of the same UID, which waits for that lock, always queries).
/// </remarks>
internal sealed class InstanceLookup : IDisposable
{
    /// <summary>More idle connections than this are closed after use (a burst of associations does not keep them all).</summary>
    private const int MaxIdle = 8;

    /// <summary>The filter holds at least this many UIDs at about 1% false positives (1.25 MB).</summary>
    internal const long MinimumFilterCapacity = 1 << 20;

    private readonly ConcurrentBag<Lookup> idle = [];
    private readonly IndexDatabase database;
    private readonly SopInstanceUidFilter filter;
    private readonly CancellationTokenSource stopLoading = new();
    private volatile bool filterLoaded;
    private bool disposed;
    private long queries;

    /// <summary>Sizes the filter for twice the instances indexed now and starts filling it (see <see cref="Loaded"/>).</summary>
    public InstanceLookup(IndexDatabase database)
    {
        this.database = database;
        long indexed;
        using (var connection = database.OpenForRead())
        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM instances";
            indexed = (long)count.ExecuteScalar()!;
        }

        filter = new SopInstanceUidFilter(Math.Max(MinimumFilterCapacity, 2 * indexed));
        Loaded = Task.Run(LoadFilter);
    }

    /// <summary>Completes when the filter holds every UID indexed when the lookup was created (then queries become rare).</summary>
    public Task Loaded { get; }

    /// <summary>Index queries run so far (tests: a new UID should not need one).</summary>
    public long Queries => Interlocked.Read(ref queries);

    /// <summary>Announces a row about to be written for <paramref name="sopInstanceUid"/> (call before its commit).</summary>
    public void Remember(string sopInstanceUid) => filter.Add(sopInstanceUid);

    /// <summary>The indexed file path (relative to the StorageRoot) of the instance, or null when it is not indexed.</summary>
    public string? FindFilePath(string sopInstanceUid)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (filterLoaded && !filter.MayContain(sopInstanceUid))
        {
            return null;
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
        Loaded.GetAwaiter().GetResult();
        stopLoading.Dispose();
        while (idle.TryTake(out var lookup))
        {
            lookup.Dispose();
        }
    }

    /// <summary>
    /// Adds every indexed UID to the filter, streamed (one row at a time, about a second per million). Rows committed
    /// after this read began were announced with <see cref="Remember"/>, so together nothing is missed. A failure
    /// leaves the filter unused: every UID is then queried, as before it loaded.
    /// </summary>
    private void LoadFilter()
    {
        var ct = stopLoading.Token;
        try
        {
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
        catch (SqliteException)
        {
            // Not loaded: queries stay on.
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
