using DicomArchive.Storage.Index;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace DicomArchive.Storage.Tests;

public sealed class IndexWriterTests
{
    [Test]
    public async Task WriteInstanceAsync_ManyConcurrentWrites_GroupedIntoFewerTransactions()
    {
        var root = Path.Combine(Path.GetTempPath(), "dicomarchive-storage-tests", Guid.NewGuid().ToString("N"));
        var database = new IndexDatabase(Path.Combine(root, "index.sqlite"), FsyncPolicy.Always);
        database.Initialize();
        var writer = new IndexWriter(database, NullLogger.Instance, 256);

        var writes = Enumerable.Range(0, 100).Select(i => writer.WriteInstanceAsync(Record(i), replace: false, CancellationToken.None)).ToArray();
        var outcomes = await Task.WhenAll(writes);

        outcomes.Should().OnlyContain(o => o.Inserted);
        writer.TransactionCount.Should().BeLessThan(100);
        await writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public async Task WriteInstanceAsync_OneFailingChangeInBatch_OthersCommitted()
    {
        var root = Path.Combine(Path.GetTempPath(), "dicomarchive-storage-tests", Guid.NewGuid().ToString("N"));
        var database = new IndexDatabase(Path.Combine(root, "index.sqlite"), FsyncPolicy.Never);
        database.Initialize();
        var writer = new IndexWriter(database, NullLogger.Instance, 256);

        var first = writer.WriteInstanceAsync(Record(1), replace: false, CancellationToken.None);
        var duplicate = writer.WriteInstanceAsync(Record(1), replace: false, CancellationToken.None);
        var third = writer.WriteInstanceAsync(Record(3), replace: false, CancellationToken.None);

        (await first).Inserted.Should().BeTrue();
        await FluentActions.Awaiting(() => duplicate).Should().ThrowAsync<InvalidOperationException>();
        (await third).Inserted.Should().BeTrue();
        using (var connection = database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT COUNT(*) FROM instances";
            Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(2);
        }

        await writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    private static InstanceRecord Record(int i) => new()
    {
        PatientId = "P" + (i % 7),
        StudyInstanceUid = "1.2." + (i % 5),
        SeriesInstanceUid = "1.2.9." + (i % 11),
        SopInstanceUid = "1.2.3." + i,
        SopClassUid = TestDataset.CtImageStorage,
        FilePath = "f/" + i + ".dcm",
        TransferSyntaxUid = "1.2.840.10008.1.2.1",
        Sha256 = "00",
        ReceivedAt = DateTimeOffset.UtcNow,
    };
}
