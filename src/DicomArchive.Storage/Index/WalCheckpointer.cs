using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Storage.Index;

/// <summary>
/// Copies the index's write-ahead log back into the database file on a background task, so no store waits for it.
/// </summary>
/// <remarks>
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that commit (and every store
/// queued behind the single writer) waits while the WAL's pages are written to the database file and, unless
/// synchronous=OFF, fsynced. With four associations storing small objects the two cores sat about 15% idle, part
/// of it with the writer in that fsync (perf sched; about 10% idle once checkpoints left the writer). So this task
/// runs a PASSIVE checkpoint (which never blocks the writer: it copies what was committed when it started) every
/// <see cref="Interval"/> in which something was committed, and the writer connections keep the automatic
/// checkpoint only as a backstop at <see cref="BackstopFrames"/>: a PASSIVE
/// checkpoint racing a steady stream of commits rarely finishes the whole WAL, and only a finished checkpoint lets
/// the next commit start the WAL file over. The backstop's checkpoint, in the writer, finds nearly everything copied
/// already and is short; it keeps the WAL under about 160 MB.
/// </remarks>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    /// <summary>How often the WAL is checkpointed while commits arrive.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>The writer connections' automatic checkpoint threshold, in WAL frames (pages of 4 KiB, about 160 MB).</summary>
    public const int BackstopFrames = 40_000;

    private readonly IndexDatabase database;
    private readonly Func<long> commitCount;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long checkpoints;
    private int disposed;

    /// <param name="database">The index.</param>
    /// <param name="commitCount">The writer's committed transactions so far (a checkpoint runs only after new ones).</param>
    /// <param name="logger">Where a failed checkpoint is reported (the next one retries).</param>
    /// <param name="time">The clock of the interval (a fake one in tests).</param>
    public WalCheckpointer(IndexDatabase database, Func<long> commitCount, ILogger logger, TimeProvider time)
    {
        this.database = database;
        this.commitCount = commitCount;
        this.logger = logger;
        this.time = time;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Checkpoints run so far (for tests and diagnostics).</summary>
    public long Checkpoints => Interlocked.Read(ref checkpoints);

    /// <summary>Stops the task and checkpoints what is left (call after the writer has stopped).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stop.Dispose();
        try
        {
            using var connection = database.Open();
            Checkpoint(connection, "PASSIVE");
        }
        catch (SqliteException ex)
        {
            StorageLog.CheckpointFailed(logger, ex);
        }
    }

    private async Task RunAsync()
    {
        SqliteConnection? connection = null;
        var checkpointedAt = commitCount();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(Interval, time, stop.Token).ConfigureAwait(false);
                var committed = commitCount();
                if (committed == checkpointedAt)
                {
                    continue;
                }

                checkpointedAt = committed;
                try
                {
                    connection ??= database.Open();
                    Checkpoint(connection, "PASSIVE");
                }
                catch (SqliteException ex)
                {
                    // A locked or failing index: the stores report their own errors; the next interval retries.
                    StorageLog.CheckpointFailed(logger, ex);
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private void Checkpoint(SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(" + mode + ");";
        command.ExecuteNonQuery();
        Interlocked.Increment(ref checkpoints);
    }
}
