using DicomArchive.Storage.Index;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Tests;

public sealed class IndexSchemaTests
{
    [Test]
    public async Task OpenAsync_EmptyDatabase_MigratedToLatestInWalMode()
    {
        await using var f = await StoreFixture.CreateAsync();

        f.Scalar("PRAGMA user_version").Should().Be(SchemaMigrations.LatestVersion);
        f.Text("PRAGMA journal_mode").Should().Be("wal");
        f.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('patients','studies','series','instances')").Should().Be(4);
        f.Scalar("PRAGMA synchronous").Should().Be(2, "FsyncPolicy.Always means synchronous=FULL");
    }

    [Test]
    public async Task OpenAsync_Reopen_IsIdempotentAndKeepsRows()
    {
        await using var f = await StoreFixture.CreateAsync();
        await f.StoreAsync("1.2.7.1", TestDataset.Instance("1.2.7.1"));

        await f.ReopenAsync();
        await f.ReopenAsync();

        f.Scalar("PRAGMA user_version").Should().Be(SchemaMigrations.LatestVersion);
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(1);
    }

    [Test]
    public async Task OpenAsync_StorageFolderOpenByAnotherStore_ThrowsStorageInUse()
    {
        await using var f = await StoreFixture.CreateAsync();

        var second = () => InstanceStore.OpenAsync(f.Options);

        await second.Should().ThrowAsync<StorageInUseException>().WithMessage("*in use*");
        (await f.StoreAsync("1.2.7.9", TestDataset.Instance("1.2.7.9"))).Status.Should().Be(StoreStatus.Success, "the owner keeps working");
    }

    [Test]
    public async Task OpenAsync_FsyncNever_SynchronousNormal()
    {
        await using var f = await StoreFixture.CreateAsync(o => o.FsyncPolicy = FsyncPolicy.Never);

        f.Scalar("PRAGMA synchronous").Should().Be(1);
        (await f.StoreAsync("1.2.7.2", TestDataset.Instance("1.2.7.2"))).Status.Should().Be(StoreStatus.Success);
    }

    [Test]
    public async Task OpenAsync_DatabaseNewerThanProgram_Throws()
    {
        var root = Path.Combine(Path.GetTempPath(), "dicomarchive-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var indexPath = Path.Combine(root, "index.sqlite");
        using (var connection = new SqliteConnection("Data Source=" + indexPath + ";Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SchemaMigrations.LatestVersion + 1};";
            command.ExecuteNonQuery();
        }

        var open = () => InstanceStore.OpenAsync(new ArchiveStorageOptions { StorageRoot = Path.Combine(root, "s"), IndexPath = indexPath });

        await open.Should().ThrowAsync<InvalidOperationException>().WithMessage("*newer*");
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public async Task Indexes_ForQueries_Exist()
    {
        await using var f = await StoreFixture.CreateAsync();

        var plan = f.Plan("SELECT pk FROM studies WHERE accession_number = 'A'");
        plan.Should().Contain("ix_studies_accession");
        f.Plan("SELECT pk FROM patients WHERE patient_id = 'X'").Should().Contain("INDEX");
        f.Plan("SELECT pk FROM studies WHERE study_date BETWEEN '20240101' AND '20240131'").Should().Contain("ix_studies_date_time");
        f.Plan("SELECT pk FROM patients WHERE patient_name_norm >= 'DOE' AND patient_name_norm < 'DOF'")
            .Should().Contain("ix_patients_name_norm");
    }

    [Test]
    public void Validate_BadValues_NameEachOption()
    {
        var options = new ArchiveStorageOptions { StorageRoot = "", MinimumFreeDiskBytes = -1, DefaultCharacterSet = "ISO_IR 999" };

        var errors = options.Validate();

        errors.Should().HaveCount(3);
        errors.Should().Contain(e => e.StartsWith("StorageRoot:", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("MinimumFreeDiskBytes:", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("DefaultCharacterSet:", StringComparison.Ordinal));
        new ArchiveStorageOptions().Validate().Should().BeEmpty();
    }
}
