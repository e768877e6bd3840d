using DicomArchive.Dicom;

namespace DicomArchive.Storage.Tests;

public sealed class DuplicatePolicyTests
{
    private static TestDataset First() => TestDataset.Instance("1.2.5.1", pixelBytes: 10);

    private static TestDataset Second() => TestDataset.Instance("1.2.5.1", pixelBytes: 20);

    [Test]
    public async Task CommitAsync_DuplicateKeepFirst_SuccessAndFirstCopyKept()
    {
        await using var f = await StoreFixture.CreateAsync(o => o.DuplicatePolicy = DuplicatePolicy.KeepFirst);
        var first = await f.StoreAsync("1.2.5.1", First());
        var hash = f.Text("SELECT content_hash FROM instances");

        var second = await f.StoreAsync("1.2.5.1", Second());

        second.Status.Should().Be(StoreStatus.Success);
        second.IsDuplicate.Should().BeTrue();
        f.Text("SELECT content_hash FROM instances").Should().Be(hash);
        f.Scalar("SELECT number_of_instances FROM studies").Should().Be(1);
        new FileInfo(Path.Combine(f.Options.StorageRoot, first.RelativePath!)).Length.Should().Be(f.Scalar("SELECT file_size FROM instances"));
        f.FilesUnderRoot().Should().ContainSingle();
    }

    [Test]
    public async Task CommitAsync_DuplicateOfAnInstanceStoredBeforeARestart_Detected()
    {
        await using var f = await StoreFixture.CreateAsync(o => o.DuplicatePolicy = DuplicatePolicy.KeepFirst);
        await f.StoreAsync("1.2.5.1", First());
        await f.ReopenAsync();

        // The duplicate check's filter of known UIDs is rebuilt from the index at start-up.
        await f.Store.DuplicateFilterLoaded;
        var second = await f.StoreAsync("1.2.5.1", Second());

        second.IsDuplicate.Should().BeTrue();
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(1);
        f.FilesUnderRoot().Should().ContainSingle();
    }

    [Test]
    public async Task CommitAsync_DuplicateOverwrite_SuccessAndSecondCopyIndexed()
    {
        await using var f = await StoreFixture.CreateAsync(o => o.DuplicatePolicy = DuplicatePolicy.Overwrite);
        await f.StoreAsync("1.2.5.1", First());
        var hash = f.Text("SELECT content_hash FROM instances");

        var second = await f.StoreAsync("1.2.5.1", Second());

        second.Status.Should().Be(StoreStatus.Success);
        second.IsDuplicate.Should().BeTrue();
        f.Text("SELECT content_hash FROM instances").Should().NotBe(hash);
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(1);
        f.Scalar("SELECT number_of_instances FROM studies").Should().Be(1);
        var file = f.FilesUnderRoot().Should().ContainSingle().Subject;
        new FileInfo(file).Length.Should().Be(f.Scalar("SELECT file_size FROM instances"));
        (await f.Store.VerifyAsync()).IsHealthy.Should().BeTrue();
    }

    [Test]
    public async Task CommitAsync_DuplicateOverwriteIntoAnotherSeries_OldFileRemovedAndCountsMoved()
    {
        await using var f = await StoreFixture.CreateAsync(o => o.DuplicatePolicy = DuplicatePolicy.Overwrite);
        await f.StoreAsync("1.2.5.1", First());

        var second = await f.StoreAsync("1.2.5.1", TestDataset.Instance("1.2.5.1", seriesUid: "1.2.3.4.9"));

        second.Status.Should().Be(StoreStatus.Success);
        f.FilesUnderRoot().Should().ContainSingle().Which.Should().Contain("1.2.3.4.9");
        f.Scalar("SELECT number_of_instances FROM series WHERE series_instance_uid = '1.2.3.4.9'").Should().Be(1);
        f.Scalar("SELECT number_of_instances FROM series WHERE series_instance_uid = '1.2.3.4.5'").Should().Be(0);
    }

    [Test]
    public async Task CommitAsync_DuplicateReject_0111AndFirstCopyKept()
    {
        await using var f = await StoreFixture.CreateAsync(o => o.DuplicatePolicy = DuplicatePolicy.Reject);
        await f.StoreAsync("1.2.5.1", First());
        var hash = f.Text("SELECT content_hash FROM instances");

        var second = await f.StoreAsync("1.2.5.1", Second());

        second.Status.Should().Be(StoreStatus.DuplicateSopInstance);
        second.ErrorComment.Should().NotBeNullOrEmpty();
        f.Text("SELECT content_hash FROM instances").Should().Be(hash);
        f.FilesUnderRoot().Should().ContainSingle();
    }

    [Test]
    public async Task CommitAsync_ConcurrentDuplicates_OneRowOneFile()
    {
        await using var f = await StoreFixture.CreateAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => f.StoreAsync("1.2.5.1", First()))));

        results.Should().OnlyContain(r => r.Status == StoreStatus.Success);
        results.Count(r => !r.IsDuplicate).Should().Be(1);
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(1);
        f.FilesUnderRoot().Should().ContainSingle();
    }
}
