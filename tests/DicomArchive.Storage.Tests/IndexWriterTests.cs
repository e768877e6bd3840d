using DicomArchive.Storage.Index;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace DicomArchive.Storage.Tests;

public sealed class IndexWriterTests
{
    [Test]
    public async Task WriteInstanceAsync_ManyConcurrentWrites_GroupedIntoFewerTransactions()
    {
        var (root, database, writer) = NewWriter(FsyncPolicy.Always);

        // A change that holds the writer busy: the 100 writes queued meanwhile wait for the next group commit.
        using var gate = new ManualResetEventSlim();
        var blocker = HoldWriterBusy(writer, gate);
        var writes = Enumerable.Range(0, 100).Select(i => writer.WriteInstanceAsync(Record(i), replace: false, CancellationToken.None)).ToArray();
        writes.Should().OnlyContain(w => !w.IsCompleted, "the leader is busy, so nobody else commits");
        gate.Set();
        await blocker;
        var outcomes = await Task.WhenAll(writes);

        outcomes.Should().OnlyContain(o => o.Inserted);
        writer.TransactionCount.Should().BeLessThanOrEqualTo(3);
        await CloseAsync(writer, root);
    }

    [Test]
    public async Task WriteInstanceAsync_LoneCaller_CommittedBeforeReturning()
    {
        var (root, database, writer) = NewWriter(FsyncPolicy.Never);

        // No other writer: the caller commits on its own thread, so the task is already complete (no thread switch).
        var write = writer.WriteInstanceAsync(Record(1), replace: false, CancellationToken.None);

        write.IsCompletedSuccessfully.Should().BeTrue();
        (await write).Inserted.Should().BeTrue();
        writer.TransactionCount.Should().Be(1);
        await writer.DisposeAsync();
        await FluentActions.Awaiting(() => writer.WriteInstanceAsync(Record(2), replace: false, CancellationToken.None))
            .Should().ThrowAsync<ObjectDisposedException>();
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public async Task WriteInstanceAsync_OneFailingChangeInBatch_OthersCommitted()
    {
        var (root, database, writer) = NewWriter(FsyncPolicy.Never);
        // Hold the writer busy so the three changes queue up and are committed as one batch: the duplicate fails
        // the batch's first attempt, and the batch runs again change by change.
        using var gate = new ManualResetEventSlim();
        var blocker = HoldWriterBusy(writer, gate);

        var first = writer.WriteInstanceAsync(Record(1), replace: false, CancellationToken.None);
        var duplicate = writer.WriteInstanceAsync(Record(1), replace: false, CancellationToken.None);
        var third = writer.WriteInstanceAsync(Record(3), replace: false, CancellationToken.None);
        var before = writer.TransactionCount;
        gate.Set();
        await blocker;

        (await first).Inserted.Should().BeTrue();
        await FluentActions.Awaiting(() => duplicate).Should().ThrowAsync<InvalidOperationException>();
        (await third).Inserted.Should().BeTrue();
        writer.TransactionCount.Should().Be(before + 2, "the blocking change committed, then the three as one group commit");
        CountInstances(database).Should().Be(2);

        await CloseAsync(writer, root);
    }

    [Test]
    public async Task WriteInstanceAsync_WhileAnotherStoreIsInItsCommitPhase_WaitsAndSharesItsTransaction()
    {
        var (root, _, writer) = NewWriter(FsyncPolicy.Never);
        writer.EnterCommitPhase();
        writer.EnterCommitPhase();

        var first = writer.WriteInstanceAsync(Record(1), replace: false, null, CancellationToken.None, leavesCommitPhase: true);
        await Task.Delay(50);
        first.IsCompleted.Should().BeFalse("another store is still on its way to the queue");
        writer.TransactionCount.Should().Be(0);

        // The last store of the phase queues its change and commits both, on its own thread.
        var second = writer.WriteInstanceAsync(Record(2), replace: false, null, CancellationToken.None, leavesCommitPhase: true);
        second.IsCompletedSuccessfully.Should().BeTrue();
        (await first).Inserted.Should().BeTrue();
        writer.TransactionCount.Should().Be(1, "both changes went into one transaction");

        await CloseAsync(writer, root);
    }

    [Test]
    public async Task LeaveCommitPhase_WithoutAChange_CommitsTheChangesThatWaitedForIt()
    {
        var (root, _, writer) = NewWriter(FsyncPolicy.Never);
        writer.EnterCommitPhase();

        // A change from outside any commit phase (recovery, maintenance) also waits for the store on its way.
        var waiting = writer.WriteInstanceAsync(Record(1), replace: false, CancellationToken.None);
        await Task.Delay(50);
        waiting.IsCompleted.Should().BeFalse();

        // The store turned out to be a duplicate (or failed): it leaves without a change, and commits what waited.
        writer.LeaveCommitPhase();
        waiting.IsCompletedSuccessfully.Should().BeTrue();
        (await waiting).Inserted.Should().BeTrue();

        await CloseAsync(writer, root);
    }

    [Test]
    public async Task WriteInstanceAsync_CancelledOnLeavingItsCommitPhase_ThrowsAndTheOthersStillCommit()
    {
        var (root, _, writer) = NewWriter(FsyncPolicy.Never);
        writer.EnterCommitPhase();
        writer.EnterCommitPhase();
        var first = writer.WriteInstanceAsync(Record(1), replace: false, null, CancellationToken.None, leavesCommitPhase: true);

        // The second store gives up as it queues: its change is refused, and its phase ends all the same.
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await FluentActions.Awaiting(() => writer.WriteInstanceAsync(Record(2), replace: false, null, cancelled.Token, leavesCommitPhase: true))
            .Should().ThrowAsync<OperationCanceledException>();

        (await first.WaitAsync(TimeSpan.FromSeconds(30))).Inserted.Should().BeTrue();
        writer.TransactionCount.Should().Be(1);
        await CloseAsync(writer, root);
    }

    [Test]
    public async Task WriteInstanceAsync_ManyStoresEnteringAndLeavingConcurrently_EveryChangeCommits()
    {
        var (root, database, writer) = NewWriter(FsyncPolicy.Never);

        // Eight "associations" each storing in turn, a quarter of their stores leaving without a change: every change
        // must commit (a lost hand-over between leader and leaving store would hang a task here).
        var associations = Enumerable.Range(0, 8).Select(a => Task.Run(async () =>
        {
            var written = 0;
            for (var i = 0; i < 150; i++)
            {
                var n = (a * 1000) + i;
                writer.EnterCommitPhase();
                await Task.Yield();
                if (n % 4 == 0)
                {
                    writer.LeaveCommitPhase();
                    continue;
                }

                (await writer.WriteInstanceAsync(Record(n), replace: false, null, CancellationToken.None, leavesCommitPhase: true)).Inserted.Should().BeTrue();
                written++;
            }

            return written;
        })).ToArray();

        var all = Task.WhenAll(associations);
        (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60)))).Should().BeSameAs(all, "no change may be left waiting");
        var expected = (await all).Sum();
        CountInstances(database).Should().Be(expected);

        writer.TransactionCount.Should().BeLessThan(expected);
        await CloseAsync(writer, root);
    }

    /// <summary>Starts a change that keeps the writer busy until <paramref name="gate"/> is set; returns once it runs.</summary>
    private static Task<IndexOutcome> HoldWriterBusy(IndexWriter writer, ManualResetEventSlim gate)
    {
        using var inside = new ManualResetEventSlim();
        var blocker = Task.Run(() => writer.ExecuteAsync(_ =>
        {
            inside.Set();
            gate.Wait();
        }, CancellationToken.None));
        inside.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        return blocker;
    }

    private static async Task CloseAsync(IndexWriter writer, string root)
    {
        await writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    private static int CountInstances(IndexDatabase database)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM instances";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A migrated index in a new temporary folder and its writer (batches of up to 256).</summary>
    internal static (string Root, IndexDatabase Database, IndexWriter Writer) NewWriter(FsyncPolicy fsyncPolicy)
    {
        var root = Path.Combine(Path.GetTempPath(), "dicomarchive-storage-tests", Guid.NewGuid().ToString("N"));
        var database = new IndexDatabase(Path.Combine(root, "index.sqlite"), fsyncPolicy);
        database.Initialize();
        return (root, database, new IndexWriter(database, NullLogger.Instance, 256));
    }

    internal static InstanceRecord Record(int i) => new()
    {
        PatientId = "P" + (i % 7),
        StudyInstanceUid = "1.2." + (i % 5),
        SeriesInstanceUid = "1.2.9." + (i % 11),
        SopInstanceUid = "1.2.3." + i,
        SopClassUid = TestDataset.CtImageStorage,
        FilePath = "f/" + i + ".dcm",
        TransferSyntaxUid = "1.2.840.10008.1.2.1",
        ContentHash = "00",
        ReceivedAt = DateTimeOffset.UtcNow,
    };
}
