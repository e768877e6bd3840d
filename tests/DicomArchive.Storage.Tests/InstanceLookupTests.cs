using DicomArchive.Storage.Index;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Tests;

public sealed class InstanceLookupTests
{
    [Test]
    public async Task FindFilePath_RowsIndexedBeforeTheLookupExisted_FoundOnceTheFilterLoaded()
    {
        var (root, database, writer) = IndexWriterTests.NewWriter(FsyncPolicy.Never);
        for (var i = 0; i < 300; i++)
        {
            await writer.WriteInstanceAsync(IndexWriterTests.Record(i), replace: false, CancellationToken.None);
        }

        using var lookup = new InstanceLookup(database);
        await lookup.Loaded;

        for (var i = 0; i < 300; i++)
        {
            lookup.FindFilePath("1.2.3." + i).Should().Be("f/" + i + ".dcm");
        }

        await writer.DisposeAsync();
        Cleanup(root);
    }

    [Test]
    public async Task FindFilePath_NewUidsAfterTheFilterLoaded_AnsweredWithoutQueryingTheIndex()
    {
        var (root, database, writer) = IndexWriterTests.NewWriter(FsyncPolicy.Never);
        await writer.WriteInstanceAsync(IndexWriterTests.Record(1), replace: false, CancellationToken.None);
        using var lookup = new InstanceLookup(database);
        await lookup.Loaded;
        var before = lookup.Queries;

        for (var i = 0; i < 1000; i++)
        {
            lookup.FindFilePath("2.25.77" + i).Should().BeNull();
        }

        (lookup.Queries - before).Should().BeLessThan(30, "only the filter's rare false positives reach the index");
        await writer.DisposeAsync();
        Cleanup(root);
    }

    [Test]
    public async Task FindFilePath_RowRememberedAndWrittenAfterLoading_Found()
    {
        var (root, database, writer) = IndexWriterTests.NewWriter(FsyncPolicy.Never);
        using var lookup = new InstanceLookup(database);
        await lookup.Loaded;
        lookup.FindFilePath("1.2.3.42").Should().BeNull();

        lookup.Remember("1.2.3.42");
        await writer.WriteInstanceAsync(IndexWriterTests.Record(42), replace: false, CancellationToken.None);

        lookup.FindFilePath("1.2.3.42").Should().Be("f/42.dcm");
        await writer.DisposeAsync();
        Cleanup(root);
    }

    [Test]
    public async Task FindFilePath_RowWrittenBehindTheLookupsBack_FoundOnlyWhenRemembered()
    {
        // The contract the store keeps: a row written without Remember is invisible to the duplicate check once the
        // filter has loaded. This test pins that down, so a new write path that forgets Remember fails loudly.
        var (root, database, writer) = IndexWriterTests.NewWriter(FsyncPolicy.Never);
        using var lookup = new InstanceLookup(database);
        await lookup.Loaded;

        await writer.WriteInstanceAsync(IndexWriterTests.Record(7), replace: false, CancellationToken.None);

        lookup.FindFilePath("1.2.3.7").Should().BeNull();
        lookup.Remember("1.2.3.7");
        lookup.FindFilePath("1.2.3.7").Should().Be("f/7.dcm");
        await writer.DisposeAsync();
        Cleanup(root);
    }

    private static void Cleanup(string root)
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }
}
