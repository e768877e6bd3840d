using System.Diagnostics;

namespace DicomArchive.Storage.Tests;

/// <summary>In-process ingest rate (no network): run by hand with --filter Category=Throughput.</summary>
[Explicit("measurement, not a check")]
[Category("Throughput")]
public sealed class IngestThroughputTests
{
    [TestCase(FsyncPolicy.Always, 1)]
    [TestCase(FsyncPolicy.Always, 4)]
    [TestCase(FsyncPolicy.Never, 1)]
    [TestCase(FsyncPolicy.Never, 4)]
    public async Task StoreAsync_SmallInstances_Rate(FsyncPolicy policy, int concurrency)
    {
        const int perWorker = 300;
        await using var f = await StoreFixture.CreateAsync(o => o.FsyncPolicy = policy);
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWorker; i++)
            {
                var uid = $"1.2.8.{w}.{i}";
                var result = await f.StoreAsync(uid, TestDataset.Instance(uid, studyUid: $"1.2.8.{w}", seriesUid: $"1.2.8.{w}.0", pixelBytes: 10_000));
                result.IsSuccess.Should().BeTrue();
            }
        })));

        var rate = concurrency * perWorker / watch.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"{policy} x{concurrency}: {rate:F0} instances/s");
    }
}
