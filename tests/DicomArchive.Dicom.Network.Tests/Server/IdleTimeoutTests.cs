using System.Diagnostics;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Server;
using Microsoft.Extensions.Time.Testing;

namespace DicomArchive.Dicom.Network.Tests.Server;

/// <summary>Server timers run on the injected TimeProvider: a fake clock drives them, no sleeps.</summary>
[CancelAfter(30_000)]
public sealed class IdleTimeoutTests
{
    [Test]
    public async Task IdleAssociation_FakeClockPassesIdleTimeout_ServerAborts()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using DicomServer server = await ServerFixture.StartAsync(timeProvider: time,
            configure: o => o.IdleTimeout = TimeSpan.FromMinutes(5));
        await using RawPeer peer = await RawPeer.ConnectAsync(server.Port());
        await peer.AssociateAsync();
        Task<(byte[] Received, TimeSpan Elapsed)> closed = peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(20));

        // Advance until the server, which may not be waiting for a command yet, has seen the whole idle timeout pass.
        var watch = Stopwatch.StartNew();
        while (!closed.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            time.Advance(TimeSpan.FromMinutes(5));
            await Task.WhenAny(closed, Task.Delay(20));
        }

        (byte[] received, _) = await closed;
        received.Length.Should().BeGreaterThanOrEqualTo(10);
        received[^10].Should().Be((byte)PduType.AAbort);
    }

    [Test]
    public async Task ActiveAssociation_FakeClockBeforeIdleTimeout_StaysOpen()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using DicomServer server = await ServerFixture.StartAsync(timeProvider: time, configure: o =>
        {
            o.IdleTimeout = TimeSpan.FromMinutes(5);
            o.DimseTimeout = TimeSpan.FromMinutes(10);
        });
        await using DicomClient client = await ServerFixture.ConnectAsync(server);

        for (int i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromMinutes(4));
            (await client.EchoAsync()).Should().Be(DimseStatus.Success);
        }

        await client.ReleaseAsync();
    }

    [Test]
    public async Task SilentConnection_FakeClockPassesArtim_ServerCloses()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using DicomServer server = await ServerFixture.StartAsync(timeProvider: time,
            configure: o => o.AssociationRequestTimeout = TimeSpan.FromMinutes(1));
        await using RawPeer peer = await RawPeer.ConnectAsync(server.Port());
        Task<(byte[] Received, TimeSpan Elapsed)> closed = peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(20));

        var watch = Stopwatch.StartNew();
        while (!closed.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            time.Advance(TimeSpan.FromSeconds(61));
            await Task.WhenAny(closed, Task.Delay(20));
        }

        (byte[] received, _) = await closed;

        // PS3.8 Table 9-10: Evt18 in Sta2 is AA-2, close the transport without an A-ABORT.
        received.Should().BeEmpty();
    }
}
