using System.Diagnostics;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Tests.Server;

/// <summary>A quick look at throughput (the real comparison with DCMTK belongs to tests/DicomArchive.Benchmarks).</summary>
[Explicit("Measurement, not a check")]
public sealed class ThroughputSmokeTests
{
    const string CtImage = "1.2.840.10008.5.1.4.1.1.2";

    [TestCase(10 * 1024, 3000)]
    [TestCase(512 * 1024, 300)]
    public async Task StoreAsync_DiscardingSink_ReportsInstancesPerSecond(int size, int count)
    {
        var sink = new RecordingStoreHandler(keep: false);
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Store = sink });
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
            [new PresentationContextRequest(1, CtImage, DicomNetworkUids.ExplicitVRLittleEndian)]);
        byte[] dataSet = new byte[size];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            (await client.StoreAsync(CtImage, "1.2.3", DicomNetworkUids.ExplicitVRLittleEndian, new MemoryStream(dataSet))).Status
                .Should().Be(DimseStatus.Success);
        }

        watch.Stop();
        await client.ReleaseAsync();
        TestContext.Out.WriteLine($"{size / 1024} KB: {count / watch.Elapsed.TotalSeconds:F0} instances/s, "
            + $"{(double)size * count / watch.Elapsed.TotalSeconds / 1e6:F0} MB/s");
    }
}
