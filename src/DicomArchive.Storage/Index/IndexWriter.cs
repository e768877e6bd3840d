using System.Threading.Channels;
using DicomArchive.Storage.Files;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Storage.Index;

/// <summary>
/// The single writer of the index. Callers queue changes and await their own completion; one task drains the queue
/// and applies everything that is waiting in one transaction (group commit), so N concurrent stores pay for one
/// WAL sync instead of N. Each change runs in its own savepoint: one failing change does not fail its neighbours.
/// </summary>
internal sealed class IndexWriter : IAsyncDisposable
{
    private readonly Channel<PendingChange> queue = Channel.CreateUnbounded<PendingChange>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly IndexDatabase database;
    private readonly ILogger logger;
    private readonly int maxBatch;
    private readonly Task loop;
    private long transactionCount;

    public IndexWriter(IndexDatabase database, ILogger logger, int maxBatch)
    {
        this.database = database;
        this.logger = logger;
        this.maxBatch = Math.Max(1, maxBatch);
        loop = Task.Run(RunAsync);
    }

    /// <summary>Adds or (with <paramref name="replace"/>) replaces the row of an instance; completes once committed.</summary>
    public Task<IndexOutcome> WriteInstanceAsync(InstanceRecord record, bool replace, CancellationToken ct) =>
        WriteInstanceAsync(record, replace, null, ct);

    /// <summary>As above, after fsyncing <paramref name="directoriesToSync"/>.</summary>
    /// <param name="record">The instance's row.</param>
    /// <param name="replace">Replace an existing row of the same SOP Instance UID.</param>
    /// <param name="ct">Checked before queueing only (see EnqueueAsync).</param>
    /// <param name="directoriesToSync">
    /// Directories whose entries (a rename, a new subdirectory) must be durable before the row commits: each distinct
    /// one is fsynced once per batch, so concurrent stores into the same series share one directory sync.
    /// </param>
    public Task<IndexOutcome> WriteInstanceAsync(InstanceRecord record, bool replace, IReadOnlyList<string>? directoriesToSync, CancellationToken ct)
    {
        var change = new PendingChange(record, replace, null) { DirectoriesToSync = directoriesToSync };
        return EnqueueAsync(change, ct);
    }

    /// <summary>Runs an arbitrary change in the writer's transaction (maintenance: removing rows).</summary>
    public Task<IndexOutcome> ExecuteAsync(Action<SqliteConnection, SqliteTransaction> action, CancellationToken ct)
    {
        var change = new PendingChange(null, false, action);
        return EnqueueAsync(change, ct);
    }

    /// <summary>Transactions committed so far (each holds one or more changes): a measure of grouping.</summary>
    public long TransactionCount => Interlocked.Read(ref transactionCount);

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }

    private async Task<IndexOutcome> EnqueueAsync(PendingChange change, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (!queue.Writer.TryWrite(change))
        {
            throw new ObjectDisposedException(nameof(IndexWriter));
        }

        // The change is committed or not regardless of the caller's cancellation: a caller that gives up still gets a
        // consistent index, so the wait itself is not cancelled (a half-known outcome would be worse).
        return await change.Completion.Task.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingChange>(maxBatch);
        SqliteConnection? connection = null;
        InstanceRowWriter? rows = null;
        try
        {
            while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < maxBatch && queue.Reader.TryRead(out var change))
                {
                    batch.Add(change);
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                try
                {
                    if (connection is null)
                    {
                        connection = database.Open();
                        rows = new InstanceRowWriter(connection, logger);
                    }

                    ApplyBatch(connection, rows!, batch);
                }
                catch (Exception ex)
                {
                    // The commit itself failed (disk full, I/O error): nothing of the batch is in the index.
                    foreach (var change in batch)
                    {
                        change.Completion.TrySetException(ex);
                    }

                    rows?.Dispose();
                    rows = null;
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            rows?.Dispose();
            connection?.Dispose();
        }
    }

    private void ApplyBatch(SqliteConnection connection, InstanceRowWriter rows, List<PendingChange> batch)
    {
        var outcomes = new IndexOutcome?[batch.Count];
        var failures = new Exception?[batch.Count];
        SyncDirectories(batch, failures);
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (failures[i] is not null)
                {
                    continue;
                }

                transaction.Save("change");
                try
                {
                    var change = batch[i];
                    if (change.Record is not null)
                    {
                        outcomes[i] = rows.Write(transaction, change.Record, change.Replace);
                    }
                    else
                    {
                        change.Action!(connection, transaction);
                        outcomes[i] = IndexOutcome.Done;
                    }

                    transaction.Release("change");
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
                {
                    transaction.Rollback("change");
                    transaction.Release("change");
                    failures[i] = ex;
                }
            }

            transaction.Commit();
        }

        Interlocked.Increment(ref transactionCount);

        // Callers learn their outcome only after the commit is durable.
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Completion.TrySetException(failure);
            }
            else
            {
                batch[i].Completion.TrySetResult(outcomes[i]!);
            }
        }
    }

    /// <summary>
    /// Makes the batch's renames durable before its rows commit (POSIX: a rename is on disk once its directory is
    /// fsynced). A change whose directory cannot be synced fails alone and is left out of the transaction.
    /// </summary>
    private static void SyncDirectories(List<PendingChange> batch, Exception?[] failures)
    {
        Dictionary<string, Exception?>? synced = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].DirectoriesToSync is not { Count: > 0 } directories)
            {
                continue;
            }

            synced ??= new Dictionary<string, Exception?>(StringComparer.Ordinal);
            foreach (var directory in directories)
            {
                if (!synced.TryGetValue(directory, out var failure))
                {
                    try
                    {
                        DirectorySync.Sync(directory);
                    }
                    catch (IOException ex)
                    {
                        failure = ex;
                    }

                    synced[directory] = failure;
                }

                if (failure is not null)
                {
                    failures[i] = failure;
                    break;
                }
            }
        }
    }

    private sealed class PendingChange(InstanceRecord? record, bool replace, Action<SqliteConnection, SqliteTransaction>? action)
    {
        public InstanceRecord? Record { get; } = record;

        public bool Replace { get; } = replace;

        public Action<SqliteConnection, SqliteTransaction>? Action { get; } = action;

        public IReadOnlyList<string>? DirectoriesToSync { get; init; }

        public TaskCompletionSource<IndexOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What a committed index change did.</summary>
/// <param name="Inserted">A new instance row was added.</param>
/// <param name="ReplacedPath">For a replaced row: the file path the row had before (may equal the new one).</param>
internal sealed record IndexOutcome(bool Inserted, string? ReplacedPath = null)
{
    public static IndexOutcome Done { get; } = new(false);
}
