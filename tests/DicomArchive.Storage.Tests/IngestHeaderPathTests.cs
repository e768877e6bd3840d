namespace DicomArchive.Storage.Tests;

/// <summary>
/// The header check reads a small instance from the bytes kept in memory as they were written and a large one from the
/// temporary file: both paths must index the same attributes and refuse the same mismatches.
/// </summary>
public sealed class IngestHeaderPathTests
{
    [TestCase(64, FsyncPolicy.Never)]
    [TestCase(200_000, FsyncPolicy.Never)]
    [TestCase(64, FsyncPolicy.Always)]
    [TestCase(200_000, FsyncPolicy.Always)]
    public async Task CommitAsync_SmallOrLargeInstance_IndexesHeaderAttributes(int pixelBytes, FsyncPolicy policy)
    {
        await using var f = await StoreFixture.CreateAsync(o => o.FsyncPolicy = policy);

        var result = await f.StoreAsync("1.2.3.4.5.8", TestDataset.Instance("1.2.3.4.5.8", pixelBytes: pixelBytes));

        result.Status.Should().Be(StoreStatus.Success);
        f.Text("SELECT accession_number FROM studies").Should().Be("ACC1");
        f.Text("SELECT patient_name_norm FROM patients").Should().Be("DOE^JOHN");
        f.Scalar("SELECT instance_number FROM instances").Should().Be(7);
        f.Scalar("SELECT number_of_instances FROM series").Should().Be(1);
        new FileInfo(Path.Combine(f.Options.StorageRoot, result.RelativePath!)).Length.Should().BeGreaterThan(pixelBytes);
    }

    [TestCase(64)]
    [TestCase(200_000)]
    public async Task CommitAsync_SopInstanceUidDiffersFromCommand_A900WhicheverHeaderPath(int pixelBytes)
    {
        await using var f = await StoreFixture.CreateAsync();

        var result = await f.StoreAsync(StoreFixture.Context("1.2.3.4.5.9"), TestDataset.Instance("1.2.3.4.5.10", pixelBytes: pixelBytes).ToArray());

        result.Status.Should().Be(StoreStatus.DatasetDoesNotMatchSopClass);
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(0);
        Directory.GetFiles(Path.Combine(f.Options.StorageRoot, ".tmp")).Should().BeEmpty();
    }

    [Test]
    public async Task CommitAsync_ConcurrentDurableStoresIntoOneSeries_AllIndexed()
    {
        await using var f = await StoreFixture.CreateAsync(o => o.FsyncPolicy = FsyncPolicy.Always);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            f.StoreAsync($"1.2.3.4.5.{100 + i}", TestDataset.Instance($"1.2.3.4.5.{100 + i}")))));

        results.Should().OnlyContain(r => r.Status == StoreStatus.Success);
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(16);
        f.Scalar("SELECT number_of_instances FROM studies").Should().Be(16);
    }
}
