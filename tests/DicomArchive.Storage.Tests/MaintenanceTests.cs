using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Tests;

public sealed class MaintenanceTests
{
    [Test]
    public async Task OpenAsync_LeftoverTempFile_Deleted()
    {
        await using var f = await StoreFixture.CreateAsync();
        var leftover = Path.Combine(f.Options.StorageRoot, ".tmp", "crashed.part");
        await File.WriteAllBytesAsync(leftover, new byte[100]);

        await f.ReopenAsync();

        File.Exists(leftover).Should().BeFalse();
    }

    [Test]
    public async Task RecoverAsync_TempFileBesideStoredFiles_DeletedAndStoredFilesKept()
    {
        await using var f = await StoreFixture.CreateAsync();
        await f.StoreAsync("1.2.6.1", TestDataset.Instance("1.2.6.1"));
        var series = Path.Combine(f.Options.StorageRoot, "1.2.3.4", "1.2.3.4.5");
        // A crash between writing a small instance's temp file beside its final path and the rename leaves this.
        var leftover = Path.Combine(series, "0123456789abcdef0123456789abcdef.part");
        await File.WriteAllBytesAsync(leftover, new byte[100]);
        var other = Path.Combine(series, "notes.txt");
        await File.WriteAllTextAsync(other, "not ours");

        await f.ReopenAsync();
        var report = await f.Store.RecoverAsync();

        File.Exists(leftover).Should().BeFalse();
        File.Exists(other).Should().BeTrue("recovery deletes only its own temp files");
        File.Exists(Path.Combine(series, "1.2.6.1.dcm")).Should().BeTrue();
        report.FilesScanned.Should().Be(1);
        report.InstancesIndexed.Should().Be(0);
        report.IsHealthy.Should().BeTrue();
    }

    [Test]
    public async Task RecoverAsync_StoredFileWithoutRow_Indexed()
    {
        await using var f = await StoreFixture.CreateAsync();
        await f.StoreAsync("1.2.6.1", TestDataset.Instance("1.2.6.1"));
        await f.StoreAsync("1.2.6.2", TestDataset.Instance("1.2.6.2"));
        var hash = f.Text("SELECT content_hash FROM instances WHERE sop_instance_uid = '1.2.6.2'");
        // The crash window: the file reached its final path, its index row never committed.
        Execute(f, "DELETE FROM instances WHERE sop_instance_uid = '1.2.6.2'");

        await f.ReopenAsync();
        var report = await f.Store.RecoverAsync();

        report.InstancesIndexed.Should().Be(1);
        report.IsHealthy.Should().BeTrue();
        f.Text("SELECT content_hash FROM instances WHERE sop_instance_uid = '1.2.6.2'").Should().Be(hash);
        f.Text("SELECT calling_ae FROM instances WHERE sop_instance_uid = '1.2.6.2'").Should().Be("MODALITY");
        (await f.Store.VerifyAsync()).IsHealthy.Should().BeTrue();
    }

    [Test]
    public async Task ReindexAsync_AfterIndexLoss_RebuildsEveryRow()
    {
        await using var f = await StoreFixture.CreateAsync();
        for (var i = 1; i <= 5; i++)
        {
            await f.StoreAsync($"1.2.6.{i}", TestDataset.Instance($"1.2.6.{i}", seriesUid: $"1.2.3.4.{i % 2}", modality: i % 2 == 0 ? "CT" : "MR"));
        }

        var hashes = f.Text("SELECT group_concat(content_hash, ',') FROM (SELECT content_hash FROM instances ORDER BY sop_instance_uid)");

        var report = await f.Store.ReindexAsync();

        report.InstancesIndexed.Should().Be(5);
        report.FilesScanned.Should().Be(5);
        report.IsHealthy.Should().BeTrue();
        f.Text("SELECT group_concat(content_hash, ',') FROM (SELECT content_hash FROM instances ORDER BY sop_instance_uid)").Should().Be(hashes);
        f.Scalar("SELECT number_of_instances FROM studies").Should().Be(5);
        f.Text("SELECT modalities_in_study FROM studies").Should().Be("CT\\MR");
        (await f.Store.VerifyAsync()).IsHealthy.Should().BeTrue();
    }

    [Test]
    public async Task VerifyAsync_CorruptMissingAndUnindexedFiles_EachReportedByFile()
    {
        await using var f = await StoreFixture.CreateAsync();
        var corrupt = await f.StoreAsync("1.2.6.1", TestDataset.Instance("1.2.6.1"));
        var missing = await f.StoreAsync("1.2.6.2", TestDataset.Instance("1.2.6.2"));
        var unindexed = await f.StoreAsync("1.2.6.3", TestDataset.Instance("1.2.6.3"));
        await f.StoreAsync("1.2.6.4", TestDataset.Instance("1.2.6.4"));
        var corruptPath = Path.Combine(f.Options.StorageRoot, corrupt.RelativePath!);
        var bytes = await File.ReadAllBytesAsync(corruptPath);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(corruptPath, bytes);
        File.Delete(Path.Combine(f.Options.StorageRoot, missing.RelativePath!));
        Execute(f, "DELETE FROM instances WHERE sop_instance_uid = '1.2.6.3'");

        var report = await f.Store.VerifyAsync();

        report.IsHealthy.Should().BeFalse();
        report.InstancesChecked.Should().Be(3);
        report.Problems.Should().HaveCount(3);
        report.Problems.Should().ContainSingle(p => p.Kind == StorageProblemKind.HashMismatch).Which.Path.Should().EndWith("1.2.6.1.dcm");
        report.Problems.Should().ContainSingle(p => p.Kind == StorageProblemKind.MissingFile).Which.Path.Should().EndWith("1.2.6.2.dcm");
        report.Problems.Should().ContainSingle(p => p.Kind == StorageProblemKind.UnindexedFile).Which.Path.Should().EndWith(
            Path.GetFileName(unindexed.RelativePath!));
    }

    [Test]
    public async Task RecoverAsync_UnreadableFile_ReportedNotIndexed()
    {
        await using var f = await StoreFixture.CreateAsync();
        var junk = Path.Combine(f.Options.StorageRoot, "junk.dcm");
        await File.WriteAllBytesAsync(junk, new byte[300]);

        var report = await f.Store.RecoverAsync();

        report.Problems.Should().ContainSingle().Which.Should().Match<StorageProblem>(p => p.Kind == StorageProblemKind.UnreadableFile && p.Path == junk);
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(0);
    }

    private static void Execute(StoreFixture f, string sql)
    {
        using var connection = f.Store.OpenIndexConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
