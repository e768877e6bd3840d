using System.Diagnostics;
using System.Runtime.CompilerServices;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Tests.Server;

[CancelAfter(60_000)]
public sealed class SlowReaderTests
{
    const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";

    sealed class FloodingFindHandler : IFindHandler
    {
        public async IAsyncEnumerable<FindResult> OnFindAsync(DimseRequest request, ReadOnlyMemory<byte> identifier,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            byte[] match = new byte[64 * 1024];
            for (int i = 0; i < 1000; i++)
            {
                await Task.Yield();
                yield return new FindResult(DimseStatus.Pending, match);
            }
        }
    }

    [Test]
    public async Task PeerStopsReading_ServerClosesWithinDimseTimeout_OtherAssociationUnaffected()
    {
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Find = new FloodingFindHandler() },
            o => o.DimseTimeout = TimeSpan.FromSeconds(1), new TestLoggerFactory(Microsoft.Extensions.Logging.LogLevel.Warning));
        await using DicomClient good = await ServerFixture.ConnectAsync(server);
        await using RawPeer peer = await RawPeer.ConnectAsync(server.Port());
        await peer.AssociateAsync(StudyRootFind);
        var find = new DimseCommand { CommandField = DimseCommandField.CFindRq, MessageId = 1, AffectedSopClassUid = StudyRootFind,
            Priority = DimsePriority.Medium, HasDataSet = true };
        await peer.SendAsync(new PDataTf(new PresentationDataValue(1, true, true, DimseCommandCodec.Encode(find))).ToArray());
        await peer.SendAsync(new PDataTf(new PresentationDataValue(1, false, true, new byte[] { 0x08, 0x00, 0x52, 0x00, 0x06, 0x00, 0x00, 0x00,
            (byte)'S', (byte)'T', (byte)'U', (byte)'D', (byte)'Y', (byte)' ' })).ToArray());

        // The raw peer never reads: the server's sends block, time out and the association is closed.
        var watch = Stopwatch.StartNew();
        while (server.ActiveAssociations > 1 && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        server.ActiveAssociations.Should().Be(1);
        (await good.EchoAsync()).Should().Be(DimseStatus.Success);
        await good.ReleaseAsync();
    }
}
