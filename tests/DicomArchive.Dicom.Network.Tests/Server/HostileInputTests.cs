using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Tests.Server;

/// <summary>
/// Hostile input against a running server: each case must end in A-ABORT or a closed connection within the configured
/// timeouts (ARTIM 2 s here), while a good association on the same server keeps working.
/// </summary>
[CancelAfter(60_000)]
public sealed class HostileInputTests
{
    static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);

    DicomServer _server = null!;
    DicomClient _good = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await ServerFixture.StartAsync(new DicomServiceHandlers());
        _good = await ServerFixture.ConnectAsync(_server);
    }

    [TearDown]
    public async Task TearDown()
    {
        // The parallel good association is unaffected by whatever the hostile peer did.
        (await _good.EchoAsync()).Should().Be(DimseStatus.Success);
        await _good.ReleaseAsync();
        await _good.DisposeAsync();
        await _server.DisposeAsync();
    }

    static AAbort? FindAbort(byte[] received)
    {
        // The abort, if any, is the last PDU the server sent: 10 bytes starting with 07H.
        if (received.Length >= 10 && received[^10] == (byte)PduType.AAbort)
        {
            return AAbort.Decode(received.AsSpan(received.Length - 4));
        }

        return null;
    }

    [Test]
    public async Task GarbageBytes_BeforeAssociation_AbortedAndClosed()
    {
        await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());
        await peer.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        (byte[] received, TimeSpan elapsed) = await peer.ReadUntilClosedAsync(CloseWithin);

        FindAbort(received).Should().NotBeNull();
        elapsed.Should().BeLessThan(CloseWithin);
    }

    [Test]
    public async Task UnknownPduType_WhenEstablished_AbortedWithUnrecognizedPdu()
    {
        await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());
        await peer.AssociateAsync();
        await peer.SendAsync(Bytes.New().Add(0x0A, 0).U32(4).Zeros(4).ToArray());

        (byte[] received, _) = await peer.ReadUntilClosedAsync(CloseWithin);

        AAbort abort = FindAbort(received)!;
        abort.Should().NotBeNull();
        abort.Source.Should().Be(AbortSource.ServiceProvider);
        abort.Reason.Should().Be(AbortReason.UnrecognizedPdu);
    }

    [Test]
    public async Task DeclaredLengthOverMaximum_WhenEstablished_AbortedWithInvalidParameterValue()
    {
        await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());
        await peer.AssociateAsync();
        await peer.SendAsync(Bytes.New().Add(0x04, 0).U32(0x7FFF_FFFF).Zeros(64).ToArray());

        (byte[] received, _) = await peer.ReadUntilClosedAsync(CloseWithin);

        AAbort abort = FindAbort(received)!;
        abort.Should().NotBeNull();
        abort.Source.Should().Be(AbortSource.ServiceProvider);
        abort.Reason.Should().Be(AbortReason.InvalidPduParameterValue);
    }

    [Test]
    public async Task MalformedPdvLength_WhenEstablished_AbortedWithInvalidParameterValue()
    {
        await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());
        await peer.AssociateAsync();
        await peer.SendAsync(Bytes.New().Pdu(0x04, Bytes.New().U32(1000).Add(1, 3, 0, 0)).ToArray());

        (byte[] received, _) = await peer.ReadUntilClosedAsync(CloseWithin);

        FindAbort(received)!.Reason.Should().Be(AbortReason.InvalidPduParameterValue);
    }

    [Test]
    public async Task PdvOnUnknownContext_WhenEstablished_Aborted()
    {
        await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());
        await peer.AssociateAsync();
        byte[] command = DimseCommandCodec.Encode(DimseCommand.CreateEchoRequest(1));
        await peer.SendAsync(new PDataTf(new PresentationDataValue(99, true, true, command)).ToArray());

        (byte[] received, _) = await peer.ReadUntilClosedAsync(CloseWithin);

        FindAbort(received).Should().NotBeNull();
    }

    [Test]
    public async Task MalformedCommandSet_WhenEstablished_Aborted()
    {
        await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());
        await peer.AssociateAsync();
        await peer.SendAsync(new PDataTf(new PresentationDataValue(1, true, true, new byte[] { 0, 0, 0, 1, 0xFF, 0xFF, 0, 0 })).ToArray());

        (byte[] received, _) = await peer.ReadUntilClosedAsync(CloseWithin);

        FindAbort(received).Should().NotBeNull();
    }

    [Test]
    public async Task TruncatedPdu_ThenHalfClose_ConnectionClosed()
    {
        await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());
        await peer.SendAsync(Bytes.New().Add(0x01, 0).U32(200).Zeros(50).ToArray());
        peer.ShutdownSend();

        (_, TimeSpan elapsed) = await peer.ReadUntilClosedAsync(CloseWithin);

        elapsed.Should().BeLessThan(CloseWithin);
    }

    [Test]
    public async Task TruncatedPdu_ThenSilence_ClosedByArtim()
    {
        await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());
        await peer.SendAsync(Bytes.New().Add(0x01, 0).U32(200).Zeros(50).ToArray());

        (_, TimeSpan elapsed) = await peer.ReadUntilClosedAsync(CloseWithin);

        elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.5));
    }

    [Test]
    public async Task SilentConnection_ClosedWhenArtimExpires()
    {
        await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());

        (byte[] received, TimeSpan elapsed) = await peer.ReadUntilClosedAsync(CloseWithin);

        received.Should().BeEmpty();
        elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.5));
    }

    [Test]
    public async Task UnexpectedPduBeforeAssociation_AbortedAndClosed()
    {
        await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());
        await peer.SendAsync(AReleaseRq.Instance.ToArray());

        (byte[] received, _) = await peer.ReadUntilClosedAsync(CloseWithin);

        FindAbort(received).Should().NotBeNull();
    }

    [Test]
    public async Task SecondAssociateRequest_WhenEstablished_AbortedWithUnexpectedPdu()
    {
        await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());
        await peer.AssociateAsync();
        await peer.AssociateAsyncUnchecked();

        (byte[] received, _) = await peer.ReadUntilClosedAsync(CloseWithin);

        AAbort abort = FindAbort(received)!;
        abort.Source.Should().Be(AbortSource.ServiceProvider);
        abort.Reason.Should().Be(AbortReason.UnexpectedPdu);
    }

    [Test]
    public async Task ManyGarbageConnectionsInParallel_AllClosed()
    {
        var peers = new List<Task>();
        for (int i = 0; i < 20; i++)
        {
            peers.Add(Task.Run(async () =>
            {
                await using RawPeer peer = await RawPeer.ConnectAsync(_server.Port());
                byte[] garbage = new byte[1000];
                Random.Shared.NextBytes(garbage);
                await peer.SendAsync(garbage);
                await peer.ReadUntilClosedAsync(CloseWithin);
            }));
        }

        await Task.WhenAll(peers);
    }
}
