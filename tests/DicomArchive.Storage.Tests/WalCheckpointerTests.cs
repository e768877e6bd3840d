using DicomArchive.Storage.Index;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DicomArchive.Storage.Tests;

public sealed class WalCheckpointerTests
{
    [Test]
    public async Task Checkpointer_AfterCommits_CopiesThemIntoTheDatabaseFileOnTheNextInterval()
    {
        var (root, database, writer) = IndexWriterTests.NewWriter(FsyncPolicy.Never);
        CheckpointNow(database);
        var time = new FakeTimeProvider();
        var checkpointer = new WalCheckpointer(database, () => writer.TransactionCount, NullLogger.Instance, time);

        for (var i = 0; i < 20; i++)
        {
            await writer.WriteInstanceAsync(IndexWriterTests.Record(i), replace: false, CancellationToken.None);
        }

        RowsInDatabaseFileAlone(database.Path, root).Should().Be(0, "the writer leaves checkpoints to the background task");

        await AdvanceUntilAsync(time, () => checkpointer.Checkpoints >= 1);

        RowsInDatabaseFileAlone(database.Path, root).Should().Be(20);

        // Nothing committed since: further intervals do not checkpoint.
        for (var i = 0; i < 5; i++)
        {
            time.Advance(WalCheckpointer.Interval);
            await Task.Delay(20);
        }

        checkpointer.Checkpoints.Should().Be(1);

        await writer.DisposeAsync();
        await checkpointer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public async Task DisposeAsync_AfterCommits_CheckpointsWhatIsLeft()
    {
        var (root, database, writer) = IndexWriterTests.NewWriter(FsyncPolicy.Never);
        CheckpointNow(database);
        var checkpointer = new WalCheckpointer(database, () => writer.TransactionCount, NullLogger.Instance, new FakeTimeProvider());
        await writer.WriteInstanceAsync(IndexWriterTests.Record(1), replace: false, CancellationToken.None);

        await writer.DisposeAsync();
        await checkpointer.DisposeAsync();

        RowsInDatabaseFileAlone(database.Path, root).Should().Be(1);
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public async Task Checkpointer_IndexCannotBeOpened_LogsAndTriesAgainNextInterval()
    {
        // An index in a folder that does not exist: every open fails. The task must log each failure and keep
        // running (the next interval retries), and stopping it must not throw.
        var missing = Path.Combine(Path.GetTempPath(), "dicomarchive-storage-tests", Guid.NewGuid().ToString("N"), "gone", "index.sqlite");
        var database = new IndexDatabase(missing, FsyncPolicy.Never);
        var logger = new CapturingLogger();
        var time = new FakeTimeProvider();
        long commits = 0;
        var checkpointer = new WalCheckpointer(database, () => Interlocked.Read(ref commits), logger, time);

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            // A commit before every interval (the task reads the count it starts from when it first runs).
            for (var i = 0; i < 200 && logger.Entries.Count < attempt; i++)
            {
                Interlocked.Increment(ref commits);
                time.Advance(WalCheckpointer.Interval);
                await Task.Delay(25);
            }

            logger.Entries.Count.Should().BeGreaterThanOrEqualTo(attempt, "each interval with new commits tries again and logs its failure");
        }

        logger.Entries.Should().OnlyContain(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("checkpoint failed"));
        checkpointer.Checkpoints.Should().Be(0);
        await FluentActions.Awaiting(() => checkpointer.DisposeAsync().AsTask()).Should().NotThrowAsync();
    }

    /// <summary>The schema migration's pages reach the database file, so a copy of it alone can be opened.</summary>
    private static void CheckpointNow(IndexDatabase database)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }

    /// <summary>Instance rows in the database file without its WAL: what checkpoints have copied there.</summary>
    private static long RowsInDatabaseFileAlone(string path, string root)
    {
        var copy = Path.Combine(root, Guid.NewGuid().ToString("N") + ".sqlite");
        File.Copy(path, copy);
        using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM instances";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Moves the fake clock an interval at a time until <paramref name="done"/> (the task may not wait yet).</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> done)
    {
        for (var i = 0; i < 200 && !done(); i++)
        {
            time.Advance(WalCheckpointer.Interval);
            await Task.Delay(25);
        }

        done().Should().BeTrue("a checkpoint runs on the first interval after a commit");
    }
}
