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
