using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Tests.Server;

[CancelAfter(60_000)]
public sealed class ClientServerTests
{
    const string CtImage = "1.2.840.10008.5.1.4.1.1.2";

    [Test]
    public async Task EchoAsync_OurClientToOurServer_Succeeds()
    {
        await using DicomServer server = await ServerFixture.StartAsync();
        await using DicomClient client = await ServerFixture.ConnectAsync(server);

        DimseStatus status = await client.EchoAsync();
        DimseStatus second = await client.EchoAsync();
        await client.ReleaseAsync();

        status.Should().Be(DimseStatus.Success);
        second.Should().Be(DimseStatus.Success);
        client.IsEstablished.Should().BeFalse();
    }

    [Test]
    public async Task EchoAsync_OverIPv6Loopback_Succeeds()
    {
        if (!System.Net.Sockets.Socket.OSSupportsIPv6)
        {
            Assert.Ignore("No IPv6 on this host");
        }

        await using DicomServer server = await ServerFixture.StartAsync();
        DicomClient client;
        try
        {
            client = await ServerFixture.ConnectAsync(server, host: "::1");
        }
        catch (System.Net.Sockets.SocketException)
        {
            Assert.Ignore("IPv6 loopback not configured");
            return;
        }

        await using (client)
        {
            (await client.EchoAsync()).Should().Be(DimseStatus.Success);
            await client.ReleaseAsync();
        }
    }

    [Test]
    public async Task StoreAsync_DataSetLargerThanPdu_ArrivesIntactAsAStream()
    {
        var sink = new RecordingStoreHandler();
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Store = sink },
            o => o.MaxPduLength = 4096);
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
            [new PresentationContextRequest(1, CtImage, DicomNetworkUids.ExplicitVRLittleEndian)]);
        byte[] dataSet = new byte[100_003];
        Random.Shared.NextBytes(dataSet);

        DimseCommand response = await client.StoreAsync(CtImage, "1.2.3.4", DicomNetworkUids.ExplicitVRLittleEndian, new MemoryStream(dataSet));
        await client.ReleaseAsync();

        response.Status.Should().Be(DimseStatus.Success);
        response.AffectedSopInstanceUid.Should().Be("1.2.3.4");
        sink.Received["1.2.3.4"].Should().Equal(dataSet);
    }

    [Test]
    public async Task StoreAsync_HandlerCopiesDataSetFragmentByFragment_ArrivesIntact()
    {
        var sink = new RecordingStoreHandler(copyTo: true);
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Store = sink },
            o => o.MaxPduLength = 4096);
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
            [new PresentationContextRequest(1, CtImage, DicomNetworkUids.ExplicitVRLittleEndian)]);
        byte[] first = new byte[100_003];
        byte[] second = new byte[7];
        Random.Shared.NextBytes(first);
        Random.Shared.NextBytes(second);

        // Two in a row: each fragment is written out before the next PDU reuses the connection's buffer.
        DimseCommand one = await client.StoreAsync(CtImage, "1.2.3.4", DicomNetworkUids.ExplicitVRLittleEndian, new MemoryStream(first));
        DimseCommand two = await client.StoreAsync(CtImage, "1.2.3.5", DicomNetworkUids.ExplicitVRLittleEndian, new MemoryStream(second));
        await client.ReleaseAsync();

        one.Status.Should().Be(DimseStatus.Success);
        two.Status.Should().Be(DimseStatus.Success);
        sink.Received["1.2.3.4"].Should().Equal(first);
        sink.Received["1.2.3.5"].Should().Equal(second);
    }

    [Test]
    public async Task StoreAsync_ManyInstancesWithDiscardingSink_AllSucceed()
    {
        var sink = new RecordingStoreHandler(keep: false);
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Store = sink });
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
            [new PresentationContextRequest(1, CtImage, DicomNetworkUids.ImplicitVRLittleEndian)]);
        byte[] dataSet = new byte[10_000];

        for (int i = 0; i < 200; i++)
        {
            DimseCommand response = await client.StoreAsync(CtImage, $"1.2.3.{i}", DicomNetworkUids.ImplicitVRLittleEndian,
                new MemoryStream(dataSet));
            response.Status.Should().Be(DimseStatus.Success);
        }

        await client.ReleaseAsync();
        Interlocked.Read(ref sink.TotalBytes).Should().Be(200 * 10_000);
    }

    [Test]
    public async Task StoreAsync_HandlerThrows_FailureStatusAndAssociationLivesOn()
    {
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Store = new ThrowingStoreHandler() });
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
        [
            new PresentationContextRequest(1, CtImage, DicomNetworkUids.ImplicitVRLittleEndian),
            new PresentationContextRequest(3, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian),
        ]);

        DimseCommand response = await client.StoreAsync(CtImage, "1.2.3", DicomNetworkUids.ImplicitVRLittleEndian, new MemoryStream(new byte[5000]));

        response.Status!.Value.IsFailure.Should().BeTrue();
        (await client.EchoAsync()).Should().Be(DimseStatus.Success);
        await client.ReleaseAsync();
    }

    [Test]
    public async Task ConnectAsync_WrongCalledAe_RejectedPermanentCalledAeNotRecognized()
    {
        await using DicomServer server = await ServerFixture.StartAsync();

        var act = () => ServerFixture.ConnectAsync(server, options: ServerFixture.ClientOptions(called: "SOMEONEELSE"));

        var rejected = (await act.Should().ThrowAsync<DicomAssociationRejectedException>()).Which;
        rejected.Result.Should().Be(AssociateRejectResult.RejectedPermanent);
        rejected.Source.Should().Be(AssociateRejectSource.ServiceUser);
        rejected.Reason.Should().Be(AssociateRejectReason.CalledAeTitleNotRecognized);
    }

    [Test]
    public async Task ConnectAsync_CalledAeCheckOff_AcceptsAnyCalledAe()
    {
        await using DicomServer server = await ServerFixture.StartAsync(configure: o => o.CheckCalledAeTitle = false);
        await using DicomClient client = await ServerFixture.ConnectAsync(server, options: ServerFixture.ClientOptions(called: "WHATEVER"));

        (await client.EchoAsync()).Should().Be(DimseStatus.Success);
        await client.ReleaseAsync();
    }

    [Test]
    public async Task ConnectAsync_CallingAeNotAllowed_RejectedCallingAeNotRecognized()
    {
        await using DicomServer server = await ServerFixture.StartAsync(configure: o => o.AllowedCallingAeTitles = ["FRIEND"]);

        var act = () => ServerFixture.ConnectAsync(server, options: ServerFixture.ClientOptions(calling: "STRANGER"));

        var rejected = (await act.Should().ThrowAsync<DicomAssociationRejectedException>()).Which;
        rejected.Reason.Should().Be(AssociateRejectReason.CallingAeTitleNotRecognized);
        await using DicomClient friend = await ServerFixture.ConnectAsync(server, options: ServerFixture.ClientOptions(calling: "FRIEND"));
        await friend.ReleaseAsync();
    }

    [Test]
    public async Task ConnectAsync_OverAssociationLimit_RejectedTransientLocalLimit()
    {
        await using DicomServer server = await ServerFixture.StartAsync(configure: o => o.MaxAssociations = 1);
        await using DicomClient first = await ServerFixture.ConnectAsync(server);

        var act = () => ServerFixture.ConnectAsync(server);

        var rejected = (await act.Should().ThrowAsync<DicomAssociationRejectedException>()).Which;
        rejected.Result.Should().Be(AssociateRejectResult.RejectedTransient);
        rejected.Source.Should().Be(AssociateRejectSource.ServiceProviderPresentation);
        rejected.Reason.Should().Be(AssociateRejectReason.LocalLimitExceeded);
        (await first.EchoAsync()).Should().Be(DimseStatus.Success);
        await first.ReleaseAsync();
    }

    [Test]
    public async Task ConnectAsync_UnsupportedContexts_RejectedWithReasons3And4()
    {
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Store = new RecordingStoreHandler() });
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
        [
            new PresentationContextRequest(1, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian),
            new PresentationContextRequest(3, "1.2.3.4.5.6.7", DicomNetworkUids.ImplicitVRLittleEndian),
            new PresentationContextRequest(5, CtImage, "1.2.3.999"),
            new PresentationContextRequest(7, CtImage, "1.2.840.10008.1.2.4.50", DicomNetworkUids.ImplicitVRLittleEndian),
        ]);

        client.PresentationContexts[1].IsAccepted.Should().BeTrue();
        client.PresentationContexts[3].Result.Should().Be(PresentationContextResult.AbstractSyntaxNotSupported);
        client.PresentationContexts[5].Result.Should().Be(PresentationContextResult.TransferSyntaxesNotSupported);

        // Storage keeps the sender's first choice.
        client.PresentationContexts[7].TransferSyntax.Should().Be("1.2.840.10008.1.2.4.50");
        await client.ReleaseAsync();
    }

    [Test]
    public async Task AbortAsync_ClientAborts_ServerKeepsServing()
    {
        await using DicomServer server = await ServerFixture.StartAsync();
        DicomClient aborted = await ServerFixture.ConnectAsync(server);
        await aborted.AbortAsync();
        await aborted.DisposeAsync();

        await using DicomClient client = await ServerFixture.ConnectAsync(server);
        (await client.EchoAsync()).Should().Be(DimseStatus.Success);
        await client.ReleaseAsync();
    }

    [Test]
    public async Task StopAsync_IdleAssociation_AbortedAfterStopTimeout()
    {
        DicomServer server = await ServerFixture.StartAsync(configure: o => o.StopTimeout = TimeSpan.FromMilliseconds(200));
        await using DicomClient client = await ServerFixture.ConnectAsync(server);

        await server.StopAsync(CancellationToken.None);

        server.ActiveAssociations.Should().Be(0);
        var act = () => client.EchoAsync();
        await act.Should().ThrowAsync<Exception>();
        await server.DisposeAsync();
    }

    [Test]
    [NonParallelizable]
    public async Task StoreAsync_LargeDataSet_AllocatesFarLessThanItsSize()
    {
        var sink = new RecordingStoreHandler(keep: false);
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Store = sink });
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
            [new PresentationContextRequest(1, CtImage, DicomNetworkUids.ExplicitVRLittleEndian)]);
        byte[] dataSet = new byte[64 * 1024 * 1024];
        var source = new MemoryStream(dataSet);
        (await client.StoreAsync(CtImage, "1.2.3.0", DicomNetworkUids.ExplicitVRLittleEndian, new MemoryStream(new byte[1000]))).Status
            .Should().Be(DimseStatus.Success);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        DimseCommand response = await client.StoreAsync(CtImage, "1.2.3.1", DicomNetworkUids.ExplicitVRLittleEndian, source);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        response.Status.Should().Be(DimseStatus.Success);
        Interlocked.Read(ref sink.TotalBytes).Should().Be(1000 + dataSet.Length);

        // Both sides stream: neither the client nor the server holds the data set (64 MB) in memory. The count is
        // process-wide (timers, pipelines, the test runner), so the bound is an eighth of the size, not an exact figure:
        // a whole-instance buffer on either side would exceed it eight times over.
        allocated.Should().BeLessThan(8 * 1024 * 1024);
        await client.ReleaseAsync();
    }

    [Test]
    public async Task Store_SopClassOtherThanContextAbstractSyntax_RefusedWithSopClassNotSupported()
    {
        var sink = new RecordingStoreHandler();
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Store = sink });
        await using RawPeer peer = await RawPeer.ConnectAsync(server.Port());
        await peer.AssociateAsync();
        DimseCommand store = DimseCommand.CreateStoreRequest(1, CtImage, "1.2.3");
        await peer.SendAsync(new PDataTf(new PresentationDataValue(1, true, true, DimseCommandCodec.Encode(store))).ToArray());
        await peer.SendAsync(new PDataTf(new PresentationDataValue(1, false, true, new byte[10])).ToArray());

        DimseCommand response = await peer.ReadCommandAsync();

        response.CommandField.Should().Be(DimseCommandField.CStoreRsp);
        response.Status.Should().Be(DimseStatus.SopClassNotSupported);
        sink.Received.Should().BeEmpty();
    }

    sealed class GatedStoreHandler : IStoreHandler
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<DimseStatus> OnStoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Gate.Task.WaitAsync(cancellationToken);
            await dataSet.CopyToAsync(Stream.Null, cancellationToken);
            return DimseStatus.Success;
        }
    }

    [Test]
    public async Task StopAsync_StoreInProgress_FinishesBeforeTheServerStops()
    {
        var handler = new GatedStoreHandler();
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Store = handler },
            o => o.StopTimeout = TimeSpan.FromSeconds(20));
        await using DicomClient client = await ServerFixture.ConnectAsync(server,
            [new PresentationContextRequest(1, CtImage, DicomNetworkUids.ImplicitVRLittleEndian)]);
        Task<DimseCommand> store = client.StoreAsync(CtImage, "1.2.3", DicomNetworkUids.ImplicitVRLittleEndian, new MemoryStream(new byte[1000]));
        await handler.Entered.Task;

        Task stop = server.StopAsync(CancellationToken.None);
        stop.IsCompleted.Should().BeFalse();
        handler.Gate.SetResult();

        (await store).Status.Should().Be(DimseStatus.Success);
        await client.ReleaseAsync();
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
        server.ActiveAssociations.Should().Be(0);
    }

    [Test]
    public async Task StartAsync_PortInUse_ThrowsSocketException()
    {
        await using DicomServer first = await ServerFixture.StartAsync();
        var second = new DicomServer(new DicomServerOptions { Port = first.Port() }, new DicomServiceHandlers());

        var act = () => second.StartAsync(CancellationToken.None);

        await act.Should().ThrowAsync<System.Net.Sockets.SocketException>();
        await second.DisposeAsync();
    }

    [Test]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new DicomServerOptions { AeTitle = "", Port = 70000, MaxPduLength = 10, MaxAssociations = 0 };

        var act = () => new DicomServer(options, new DicomServiceHandlers());

        act.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("AeTitle").And.Contain("Port").And.Contain("MaxPduLength").And.Contain("MaxAssociations");
    }
}
