using System.Runtime.CompilerServices;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Tests.Server;

[CancelAfter(60_000)]
public sealed class QueryRetrieveTests
{
    const string StudyFind = "1.2.840.10008.5.1.4.1.2.2.1";
    const string StudyMove = "1.2.840.10008.5.1.4.1.2.2.2";
    const string StudyGet = "1.2.840.10008.5.1.4.1.2.2.3";
    const string CtImage = "1.2.840.10008.5.1.4.1.1.2";
    static readonly byte[] Query = [0x08, 0x00, 0x52, 0x00, 0x06, 0x00, 0x00, 0x00, .. "STUDY "u8];

    sealed class CountingFindHandler(int count) : IFindHandler
    {
        public ReadOnlyMemory<byte> LastIdentifier { get; private set; }

        public bool WasCancelled { get; private set; }

        public async IAsyncEnumerable<FindResult> OnFindAsync(DimseRequest request, ReadOnlyMemory<byte> identifier,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            LastIdentifier = identifier;
            for (int i = 0; i < count; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    WasCancelled = true;
                    yield break;
                }

                await Task.Yield();
                yield return new FindResult(DimseStatus.Pending, new byte[] { (byte)i, 0 });
            }
        }
    }

    sealed class ProgressMoveHandler : IMoveHandler
    {
        public string? Destination { get; private set; }

        public async IAsyncEnumerable<RetrieveStatus> OnMoveAsync(DimseRequest request, string destinationAeTitle,
            ReadOnlyMemory<byte> identifier, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Destination = destinationAeTitle;
            await Task.Yield();
            yield return new RetrieveStatus(DimseStatus.Pending, 2, 0, 0, 0);
            yield return new RetrieveStatus(DimseStatus.Pending, 1, 1, 0, 0);
            yield return new RetrieveStatus(DimseStatus.Success, 0, 2, 0, 0);
        }
    }

    /// <summary>Counts one sub-operation per 20 ms; once cancelled, one more in flight finishes, then its own Cancel final.</summary>
    sealed class InFlightMoveHandler : IMoveHandler
    {
        public const int Total = 500;

        public int Completed { get; private set; }

        public async IAsyncEnumerable<RetrieveStatus> OnMoveAsync(DimseRequest request, string destinationAeTitle,
            ReadOnlyMemory<byte> identifier, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            while (Completed < Total - 1)
            {
                bool cancelled = cancellationToken.IsCancellationRequested;
                await Task.Delay(20, CancellationToken.None);
                Completed++;
                if (cancelled)
                {
                    yield return new RetrieveStatus(DimseStatus.Cancel, (ushort)(Total - Completed), (ushort)Completed, 0, 0);
                    yield break;
                }

                yield return new RetrieveStatus(DimseStatus.Pending, (ushort)(Total - Completed), (ushort)Completed, 0, 0);
            }

            yield return new RetrieveStatus(DimseStatus.Success, 0, (ushort)Total, 0, 0);
        }
    }

    sealed class SyntheticGetHandler(byte[] dataSet) : IGetHandler
    {
        public async IAsyncEnumerable<RetrieveStatus> OnGetAsync(DimseRequest request, ReadOnlyMemory<byte> identifier,
            IGetSubOperationSender sender, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return new RetrieveStatus(DimseStatus.Pending, 1, 0, 0, 0);
            DimseStatus status = await sender.StoreAsync(CtImage, "1.2.3.4.5", DicomNetworkUids.ExplicitVRLittleEndian,
                new MemoryStream(dataSet), cancellationToken);
            yield return new RetrieveStatus(status.IsSuccess ? DimseStatus.Success : DimseStatus.WarningB000, 0,
                status.IsSuccess ? (ushort)1 : (ushort)0, status.IsSuccess ? (ushort)0 : (ushort)1, 0);
        }
    }

    [Test]
    public async Task FindAsync_ServerYieldsMatches_PendingResponsesThenSuccess()
    {
        var handler = new CountingFindHandler(3);
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Find = handler });
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
            [new PresentationContextRequest(1, StudyFind, DicomNetworkUids.ImplicitVRLittleEndian)]);

        var responses = new List<DimseResponse>();
        await foreach (DimseResponse response in client.FindAsync(StudyFind, Query))
        {
            responses.Add(response);
        }

        responses.Select(r => r.Status).Should().Equal(DimseStatus.Pending, DimseStatus.Pending, DimseStatus.Pending, DimseStatus.Success);
        responses[1].DataSet!.Value.ToArray().Should().Equal(1, 0);
        responses[3].DataSet.Should().BeNull();
        handler.LastIdentifier.ToArray().Should().Equal(Query);
        await client.ReleaseAsync();
    }

    [Test]
    public async Task FindAsync_Cancelled_SendsCCancelAndEndsWithCancelStatus()
    {
        var handler = new CountingFindHandler(int.MaxValue);
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Find = handler });
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
        [
            new PresentationContextRequest(1, StudyFind, DicomNetworkUids.ImplicitVRLittleEndian),
            new PresentationContextRequest(3, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian),
        ]);
        using var cts = new CancellationTokenSource();

        DimseResponse? last = null;
        int pending = 0;
        await foreach (DimseResponse response in client.FindAsync(StudyFind, Query, cts.Token))
        {
            last = response;
            if (response.Status.IsPending && ++pending == 3)
            {
                await cts.CancelAsync();
            }
        }

        last!.Status.Should().Be(DimseStatus.Cancel);
        (await client.EchoAsync()).Should().Be(DimseStatus.Success);
        await client.ReleaseAsync();
    }

    [Test]
    public async Task FindAsync_ConsumerBreaksEarly_AssociationStaysUsable()
    {
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Find = new CountingFindHandler(int.MaxValue) });
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
        [
            new PresentationContextRequest(1, StudyFind, DicomNetworkUids.ImplicitVRLittleEndian),
            new PresentationContextRequest(3, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian),
        ]);

        await foreach (DimseResponse response in client.FindAsync(StudyFind, Query))
        {
            break;
        }

        (await client.EchoAsync()).Should().Be(DimseStatus.Success);
        await client.ReleaseAsync();
    }

    [Test]
    public async Task MoveAsync_ServerReportsProgress_CountsArrive()
    {
        var handler = new ProgressMoveHandler();
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Move = handler });
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
            [new PresentationContextRequest(1, StudyMove, DicomNetworkUids.ImplicitVRLittleEndian)]);

        var responses = new List<DimseResponse>();
        await foreach (DimseResponse response in client.MoveAsync(StudyMove, "DEST", Query))
        {
            responses.Add(response);
        }

        handler.Destination.Should().Be("DEST");
        responses.Should().HaveCount(3);
        responses[0].Command.RemainingSuboperations.Should().Be(2);
        responses[2].Status.Should().Be(DimseStatus.Success);
        responses[2].Command.CompletedSuboperations.Should().Be(2);
        responses[2].Command.RemainingSuboperations.Should().BeNull();
        await client.ReleaseAsync();
    }

    [Test]
    public async Task GetAsync_WithScpRoleSelection_InstanceArrivesOnSameAssociation()
    {
        byte[] dataSet = new byte[70_001];
        Random.Shared.NextBytes(dataSet);
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Get = new SyntheticGetHandler(dataSet) });
        DicomClientOptions options = ServerFixture.ClientOptions();
        options.RoleSelections.Add(new ScpScuRoleSelection(CtImage, ScuRole: false, ScpRole: true));
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
        [
            new PresentationContextRequest(1, StudyGet, DicomNetworkUids.ImplicitVRLittleEndian),
            new PresentationContextRequest(3, CtImage, DicomNetworkUids.ExplicitVRLittleEndian),
        ], options);
        var sink = new RecordingStoreHandler();

        var responses = new List<DimseResponse>();
        await foreach (DimseResponse response in client.GetAsync(StudyGet, Query, sink))
        {
            responses.Add(response);
        }

        client.Accept.UserInformation.RoleSelections.Should().ContainSingle().Which.ScpRole.Should().BeTrue();
        responses[^1].Status.Should().Be(DimseStatus.Success);
        responses[^1].Command.CompletedSuboperations.Should().Be(1);
        sink.Received["1.2.3.4.5"].Should().Equal(dataSet);
        await client.ReleaseAsync();
    }

    [Test]
    public async Task MoveAsync_Cancelled_HandlerFinishesInFlightAndItsCountsGoInTheCancelResponse()
    {
        var handler = new InFlightMoveHandler();
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Move = handler });
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
            [new PresentationContextRequest(1, StudyMove, DicomNetworkUids.ImplicitVRLittleEndian)]);
        using var cancel = new CancellationTokenSource();

        var responses = new List<DimseResponse>();
        await foreach (DimseResponse response in client.MoveAsync(StudyMove, "DEST", Query, cancel.Token))
        {
            responses.Add(response);
            await cancel.CancelAsync();
        }

        DimseResponse final = responses[^1];
        final.Status.Should().Be(DimseStatus.Cancel);
        ((int)final.Command.CompletedSuboperations!).Should().Be(handler.Completed).And.BeLessThan(InFlightMoveHandler.Total);
        ((int)final.Command.RemainingSuboperations!).Should().Be(InFlightMoveHandler.Total - handler.Completed);
        await client.ReleaseAsync();
    }
}
