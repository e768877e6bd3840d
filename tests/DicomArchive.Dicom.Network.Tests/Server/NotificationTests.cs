using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Tests.Server;

/// <summary>N-ACTION and N-EVENT-REPORT between our client and our server (PS3.7 10.1.1, 10.1.4; PS3.4 J.3.3).</summary>
[CancelAfter(60_000)]
public sealed class NotificationTests
{
    static readonly byte[] Information = [0x08, 0x00, 0x95, 0x11, 0x04, 0x00, 0x00, 0x00, (byte)'1', (byte)'.', (byte)'2', 0x00];

    static PresentationContextRequest[] CommitmentContexts() =>
        [new PresentationContextRequest(1, DicomNetworkUids.StorageCommitmentPushModel, DicomNetworkUids.ImplicitVRLittleEndian)];

    [Test]
    public async Task ActionAsync_HandlerSchedulesReport_ReportFollowsResponseOnSameAssociation()
    {
        var handler = new SchedulingActionHandler();
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Action = handler });
        await using DicomClient client = await ServerFixture.ConnectAsync(server, CommitmentContexts());

        DimseResponse response = await client.ActionAsync(DicomNetworkUids.StorageCommitmentPushModel,
            DicomNetworkUids.StorageCommitmentPushModelInstance, 1, Information);
        ReceivedEventReport report = await client.ReceiveEventReportAsync(TimeSpan.FromSeconds(10));
        await client.ReleaseAsync();

        response.Status.Should().Be(DimseStatus.Success);
        response.Command.CommandField.Should().Be(DimseCommandField.NActionRsp);
        response.Command.ActionTypeId.Should().Be(1);
        handler.ReceivedInformation.Should().Equal(Information);
        handler.ReceivedActionTypeId.Should().Be(1);
        report.EventTypeId.Should().Be(2);
        report.Command.AffectedSopInstanceUid.Should().Be(DicomNetworkUids.StorageCommitmentPushModelInstance);
        report.EventInformation.ToArray().Should().Equal(Information);
        (await handler.Outcome.Task).Should().Be(DimseStatus.Success);
    }

    [Test]
    public async Task ActionAsync_PeerReleasesRightAfterResponse_CompletionLearnsNotDelivered()
    {
        var handler = new SchedulingActionHandler { Delay = TimeSpan.FromMilliseconds(300) };
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Action = handler });
        await using DicomClient client = await ServerFixture.ConnectAsync(server, CommitmentContexts());

        await client.ActionAsync(DicomNetworkUids.StorageCommitmentPushModel, DicomNetworkUids.StorageCommitmentPushModelInstance, 1, Information);
        await client.ReleaseAsync();

        (await handler.Outcome.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeNull();
        client.IsEstablished.Should().BeFalse();
    }

    [Test]
    public async Task EventReportAsync_ClientAsScpRole_ServerHandlerAnswers()
    {
        var receiver = new RecordingEventReportHandler();
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { EventReport = receiver });
        DicomClientOptions options = ServerFixture.ClientOptions();
        options.RoleSelections.Add(new ScpScuRoleSelection(DicomNetworkUids.StorageCommitmentPushModel, ScuRole: false, ScpRole: true));
        await using DicomClient client = await ServerFixture.ConnectAsync(server, CommitmentContexts(), options);

        DimseResponse response = await client.EventReportAsync(DicomNetworkUids.StorageCommitmentPushModel,
            DicomNetworkUids.StorageCommitmentPushModelInstance, 1, Information);
        await client.ReleaseAsync();

        response.Status.Should().Be(DimseStatus.Success);
        response.Command.EventTypeId.Should().Be(1);
        receiver.EventTypeId.Should().Be(1);
        receiver.Information.Should().Equal(Information);
        client.Accept.UserInformation.RoleSelections.Should().ContainSingle(r => r.ScpRole && !r.ScuRole);
    }

    sealed class SchedulingActionHandler : IActionHandler
    {
        public TimeSpan Delay { get; init; }

        public byte[]? ReceivedInformation { get; private set; }

        public ushort? ReceivedActionTypeId { get; private set; }

        public TaskCompletionSource<DimseStatus?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyCollection<string> SopClassUids { get; } = [DicomNetworkUids.StorageCommitmentPushModel];

        public ValueTask<ActionResult> OnActionAsync(ActionRequest request, ReadOnlyMemory<byte> actionInformation, IEventReportScheduler scheduler,
            CancellationToken cancellationToken)
        {
            ReceivedInformation = actionInformation.ToArray();
            ReceivedActionTypeId = request.ActionTypeId;
            scheduler.Schedule(
                async (transferSyntax, token) =>
                {
                    await Task.Delay(Delay, token);
                    return new EventReport(request.SopClassUid, request.SopInstanceUid, 2, ReceivedInformation);
                },
                status =>
                {
                    Outcome.TrySetResult(status);
                    return ValueTask.CompletedTask;
                });
            return ValueTask.FromResult(new ActionResult(DimseStatus.Success));
        }
    }

    sealed class RecordingEventReportHandler : IEventReportHandler
    {
        public ushort? EventTypeId { get; private set; }

        public byte[]? Information { get; private set; }

        public IReadOnlyCollection<string> SopClassUids { get; } = [DicomNetworkUids.StorageCommitmentPushModel];

        public ValueTask<DimseStatus> OnEventReportAsync(EventReportRequest request, ReadOnlyMemory<byte> eventInformation,
            CancellationToken cancellationToken)
        {
            EventTypeId = request.EventTypeId;
            Information = eventInformation.ToArray();
            return ValueTask.FromResult(DimseStatus.Success);
        }
    }
}
