using DicomArchive.Storage.Files;
using Microsoft.Extensions.Time.Testing;

namespace DicomArchive.Storage.Tests;

public sealed class FreeSpaceCheckTests
{
    private const long Gigabyte = 1L << 30;

    [Test]
    public void AvailableBytes_FarAboveTheThreshold_ReadAgainOnlyAfterTheInterval()
    {
        var time = new FakeTimeProvider();
        var reads = 0;
        var check = new FreeSpaceCheck("/data", time, _ => { reads++; return 50 * Gigabyte; });

        check.AvailableBytes(Gigabyte).Should().Be(50 * Gigabyte);
        check.AvailableBytes(Gigabyte);
        time.Advance(FreeSpaceCheck.RecheckInterval / 2);
        check.AvailableBytes(Gigabyte);
        reads.Should().Be(1);

        time.Advance(FreeSpaceCheck.RecheckInterval);
        check.AvailableBytes(Gigabyte);
        reads.Should().Be(2);
    }

    [Test]
    public void AvailableBytes_WithinTwiceTheThreshold_ReadForEveryStore()
    {
        var free = 3 * Gigabyte;
        var reads = 0;
        var check = new FreeSpaceCheck("/data", new FakeTimeProvider(), _ => { reads++; return free; });

        check.AvailableBytes(2 * Gigabyte).Should().Be(3 * Gigabyte);
        free = Gigabyte;
        check.AvailableBytes(2 * Gigabyte).Should().Be(Gigabyte, "3 GB is not twice a 2 GB threshold: the volume is read again");
        reads.Should().Be(2);
    }

    [Test]
    public void AvailableBytes_ThresholdRaisedPastTheLastReading_ReadAgain()
    {
        var reads = 0;
        var check = new FreeSpaceCheck("/data", new FakeTimeProvider(), _ => { reads++; return 50 * Gigabyte; });

        check.AvailableBytes(Gigabyte);
        check.AvailableBytes(long.MaxValue);

        reads.Should().Be(2);
    }

    [Test]
    public void AvailableBytes_Unknown_NullAndReadAgain()
    {
        var reads = 0;
        var check = new FreeSpaceCheck("/data", new FakeTimeProvider(), _ => { reads++; return null; });

        check.AvailableBytes(Gigabyte).Should().BeNull();
        check.AvailableBytes(Gigabyte).Should().BeNull();
        reads.Should().Be(2);
    }
}
