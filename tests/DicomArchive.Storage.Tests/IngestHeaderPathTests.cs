using DicomArchive.Dicom;
using DicomArchive.Storage.Files;

namespace DicomArchive.Storage.Tests;

/// <summary>
/// The header check reads a small instance (up to 256 KiB) from the bytes kept in memory as they were written and a
/// large one from the temporary file: both paths must index the same attributes and refuse the same mismatches.
/// </summary>
public sealed class IngestHeaderPathTests
{
    [TestCase(64, FsyncPolicy.Never)]
    [TestCase(200_000, FsyncPolicy.Never)]
    [TestCase(300_000, FsyncPolicy.Never)]
    [TestCase(2_000_000, FsyncPolicy.Never)]
    [TestCase(64, FsyncPolicy.Always)]
    [TestCase(200_000, FsyncPolicy.Always)]
    [TestCase(300_000, FsyncPolicy.Always)]
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
    [TestCase(300_000)]
    public async Task CommitAsync_SopInstanceUidDiffersFromCommand_A900WhicheverHeaderPath(int pixelBytes)
    {
        await using var f = await StoreFixture.CreateAsync();

        var result = await f.StoreAsync(StoreFixture.Context("1.2.3.4.5.9"), TestDataset.Instance("1.2.3.4.5.10", pixelBytes: pixelBytes).ToArray());

        result.Status.Should().Be(StoreStatus.DatasetDoesNotMatchSopClass);
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(0);
        Directory.GetFiles(Path.Combine(f.Options.StorageRoot, ".tmp")).Should().BeEmpty();
    }

    [Test]
    public async Task CommitAsync_HeaderLongerThanTheBuffer_ReadFromTheFileAndIndexed()
    {
        await using var f = await StoreFixture.CreateAsync();
        // A 300 KB private value before Pixel Data: the header is longer than the 256 KiB buffer.
        var dataset = TestDataset.Instance("1.2.3.4.5.11", pixelBytes: 0)
            .Value(new DicomTag(0x0029, 0x1010), DicomVR.OB, new byte[300_000])
            .Value(DicomTag.PixelData, DicomVR.OW, new byte[1000]);

        var result = await f.StoreAsync("1.2.3.4.5.11", dataset);

        result.Status.Should().Be(StoreStatus.Success);
        f.Text("SELECT accession_number FROM studies").Should().Be("ACC1");
        f.Scalar("SELECT instance_number FROM instances").Should().Be(7);
    }

    [Test]
    public async Task CommitAsync_LargeInstance_FileHoldsExactlyTheBytesSentInOrder()
    {
        await using var f = await StoreFixture.CreateAsync();
        // Several 256 KiB blocks go to disk as they fill: they must land, and be hashed, in order.
        var pixels = new byte[1_500_000];
        new Random(7).NextBytes(pixels);
        var dataset = TestDataset.Instance("1.2.3.4.5.15", pixelBytes: 0).Value(DicomTag.PixelData, DicomVR.OB, pixels).ToArray();
        var context = StoreFixture.Context("1.2.3.4.5.15");

        var result = await f.StoreAsync(context, dataset);

        result.Status.Should().Be(StoreStatus.Success);
        var stored = await File.ReadAllBytesAsync(Path.Combine(f.Options.StorageRoot, result.RelativePath!));
        stored.Should().Equal([.. FileMetaHeader.Build(context), .. dataset]);
        f.Text("SELECT content_hash FROM instances").Should().Be(ContentHash.Compute(new MemoryStream(stored)));
        (await f.Store.VerifyAsync()).IsHealthy.Should().BeTrue();
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
