using System.Buffers;
using System.Globalization;
using DicomArchive.Dicom;
using DicomArchive.Dicom.Network;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Tests.Support;

namespace DicomArchive.Service.Tests.EndToEnd;

/// <summary>
/// Storage Commitment Push Model (issue 9) against the real executable. DCMTK has no commitment SCU, so our own
/// client plays the modality: it stores, sends the N-ACTION, and receives the N-EVENT-REPORT either on its own
/// association or, as a small DicomServer, on the association the archive opens back to it.
/// </summary>
[NonParallelizable]
public sealed class StorageCommitmentTests
{
    private const string Modality = "MODALITY";
    private const ushort NoSuchObjectInstance = 0x0112;
    private const ushort ProcessingFailure = 0x0110;
    private const ushort ClassInstanceConflict = 0x0119;
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(20);

    private string root = null!;

    [SetUp]
    public void SetUp() => root = TestInstances.NewTempFolder("commit");

    [TearDown]
    public void TearDown()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing on a slow machine: the temp folder is cleaned another time.
        }
    }

    [Test]
    public async Task Commitment_AllInstancesStored_EventType1OnTheSameAssociation()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 3);
        await using var archive = await ArchiveProcess.StartAsync(root);
        await using var client = await ConnectAsync(archive.Port);
        var references = await StoreAllAsync(client, files);
        var transaction = NewUid();

        var action = await client.ActionAsync(DicomNetworkUids.StorageCommitmentPushModel, DicomNetworkUids.StorageCommitmentPushModelInstance, 1,
            EncodeRequest(transaction, references));
        var report = await client.ReceiveEventReportAsync(ReportTimeout);
        await client.ReleaseAsync();

        action.Status.IsSuccess.Should().BeTrue();
        report.EventTypeId.Should().Be(1);
        report.Command.AffectedSopInstanceUid.Should().Be(DicomNetworkUids.StorageCommitmentPushModelInstance);
        var result = DicomDatasetReader.Read(report.EventInformation, TransferSyntax.Lookup(report.TransferSyntaxUid));
        result.GetString(DicomTag.TransactionUID).Should().Be(transaction);
        Items(result, DicomTag.ReferencedSOPSequence).Select(i => i.GetString(DicomTag.ReferencedSOPInstanceUID))
            .Should().BeEquivalentTo(references.Select(r => r.Instance));
        result.Contains(DicomTag.FailedSOPSequence).Should().BeFalse();
        await WaitForAsync(() => archive.AuditText.Contains("COMMIT", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        archive.AuditText.Should().Contain("COMMIT").And.Contain(transaction);
    }

    [Test]
    public async Task Commitment_MissingInstanceAndWrongClass_EventType2WithFailureReasons()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 2);
        await using var archive = await ArchiveProcess.StartAsync(root);
        await using var client = await ConnectAsync(archive.Port);
        var stored = await StoreAllAsync(client, files);
        var missing = ("1.2.840.10008.5.1.4.1.1.2", "1.2.826.0.1.3680043.10.99.404");
        var wrongClass = ("1.2.840.10008.5.1.4.1.1.4", stored[1].Instance);
        var transaction = NewUid();

        await client.ActionAsync(DicomNetworkUids.StorageCommitmentPushModel, DicomNetworkUids.StorageCommitmentPushModelInstance, 1,
            EncodeRequest(transaction, [stored[0], missing, wrongClass]));
        var report = await client.ReceiveEventReportAsync(ReportTimeout);
        await client.ReleaseAsync();

        report.EventTypeId.Should().Be(2);
        var result = DicomDatasetReader.Read(report.EventInformation, TransferSyntax.Lookup(report.TransferSyntaxUid));
        result.GetString(DicomTag.TransactionUID).Should().Be(transaction);
        Items(result, DicomTag.ReferencedSOPSequence).Select(i => i.GetString(DicomTag.ReferencedSOPInstanceUID))
            .Should().Equal(stored[0].Instance);
        FailureReasons(result).Should().BeEquivalentTo(new Dictionary<string, ushort>
        {
            [missing.Item2] = NoSuchObjectInstance,
            [wrongClass.Item2] = ClassInstanceConflict,
        });
    }

    [Test]
    public async Task Commitment_StoredFileCorrupted_ProcessingFailureForThatInstance()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 2);
        await using var archive = await ArchiveProcess.StartAsync(root);
        await using var client = await ConnectAsync(archive.Port);
        var stored = await StoreAllAsync(client, files);
        var path = StoredFiles.Find(archive.StorageRoot, stored[1].Instance)!;
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^10] ^= 0xFF; // inside the pixel data: the file still parses, only its hash changes
        await File.WriteAllBytesAsync(path, bytes);

        await client.ActionAsync(DicomNetworkUids.StorageCommitmentPushModel, DicomNetworkUids.StorageCommitmentPushModelInstance, 1,
            EncodeRequest(NewUid(), stored));
        var report = await client.ReceiveEventReportAsync(ReportTimeout);
        await client.ReleaseAsync();

        report.EventTypeId.Should().Be(2);
        var result = DicomDatasetReader.Read(report.EventInformation, TransferSyntax.Lookup(report.TransferSyntaxUid));
        FailureReasons(result).Should().BeEquivalentTo(new Dictionary<string, ushort> { [stored[1].Instance] = ProcessingFailure });
        Items(result, DicomTag.ReferencedSOPSequence).Select(i => i.GetString(DicomTag.ReferencedSOPInstanceUID))
            .Should().Equal(stored[0].Instance);
    }

    [Test]
    public async Task Commitment_RequesterUnreachableThenBack_ReportArrivesOnNewAssociationAfterRetries()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 2);
        var requesterPort = ArchiveProcess.FreePort();
        await using var archive = await ArchiveProcess.StartAsync(root, null, PeerArgs(requesterPort));
        var transaction = NewUid();
        await RequestAndReleaseAsync(archive.Port, files, transaction);

        // Nobody listens yet: the archive retries every second.
        await WaitForAsync(() => CountOccurrences(archive.Output, "attempt 2 failed") > 0, TimeSpan.FromSeconds(20));
        await using var requester = await StartRequesterAsync(requesterPort);
        var report = await requester.Received.Task.WaitAsync(ReportTimeout);

        report.EventTypeId.Should().Be(1);
        report.CallingAeTitle.Should().Be("DICOMARCHIVE");
        report.Result.GetString(DicomTag.TransactionUID).Should().Be(transaction);
        Items(report.Result, DicomTag.ReferencedSOPSequence).Should().HaveCount(2);
    }

    [Test]
    public async Task Commitment_ArchiveRestartedBeforeDelivery_PendingReportDeliveredAfterRestart()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 2);
        var requesterPort = ArchiveProcess.FreePort();
        var transaction = NewUid();
        int port;
        await using (var first = await ArchiveProcess.StartAsync(root, null, PeerArgs(requesterPort)))
        {
            port = first.Port;
            await RequestAndReleaseAsync(first.Port, files, transaction);
            await WaitForAsync(() => first.Output.Contains("attempt 1 failed", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
            await first.KillAsync();
        }

        await using var second = await ArchiveProcess.StartAsync(root, port, PeerArgs(requesterPort));
        await using var requester = await StartRequesterAsync(requesterPort);
        var report = await requester.Received.Task.WaitAsync(ReportTimeout);

        report.EventTypeId.Should().Be(1);
        report.Result.GetString(DicomTag.TransactionUID).Should().Be(transaction);
        Items(report.Result, DicomTag.ReferencedSOPSequence).Should().HaveCount(2);
    }

    [Test]
    public async Task Commitment_NoReferencedSopSequence_NActionFails()
    {
        await using var archive = await ArchiveProcess.StartAsync(root);
        await using var client = await ConnectAsync(archive.Port);
        var dataset = new DicomDataset().AddOrUpdate(DicomTag.TransactionUID, NewUid());

        var action = await client.ActionAsync(DicomNetworkUids.StorageCommitmentPushModel, DicomNetworkUids.StorageCommitmentPushModelInstance, 1,
            Encode(dataset));
        await client.ReleaseAsync();

        action.Status.Code.Should().Be(0x0110);
        action.Command.ErrorComment.Should().Contain("Referenced SOP Sequence");
    }

    private static string[] PeerArgs(int requesterPort) =>
    [
        $"--Archive:Peers:0:AeTitle={Modality}",
        "--Archive:Peers:0:Host=127.0.0.1",
        $"--Archive:Peers:0:Port={requesterPort.ToString(CultureInfo.InvariantCulture)}",
        "--Archive:StorageCommitment:RetryIntervalSeconds=1",
    ];

    /// <summary>Stores, asks for commitment, and releases right after the N-ACTION-RSP (as IHE modalities usually do).</summary>
    private static async Task RequestAndReleaseAsync(int port, IReadOnlyList<string> files, string transaction)
    {
        await using var client = await ConnectAsync(port);
        var references = await StoreAllAsync(client, files);
        var action = await client.ActionAsync(DicomNetworkUids.StorageCommitmentPushModel, DicomNetworkUids.StorageCommitmentPushModelInstance, 1,
            EncodeRequest(transaction, references));
        action.Status.IsSuccess.Should().BeTrue();
        await client.ReleaseAsync();
    }

    private static Task<DicomClient> ConnectAsync(int port)
    {
        var options = new DicomClientOptions { CalledAeTitle = "DICOMARCHIVE", CallingAeTitle = Modality, AssociationTimeout = TimeSpan.FromSeconds(10) };
        PresentationContextRequest[] contexts =
        [
            new(1, TestInstances.CtImageStorage, "1.2.840.10008.1.2.1"),
            new(3, DicomNetworkUids.StorageCommitmentPushModel, "1.2.840.10008.1.2.1"),
        ];
        return DicomClient.ConnectAsync("127.0.0.1", port, options, contexts);
    }

    private static async Task<List<(string Class, string Instance)>> StoreAllAsync(DicomClient client, IReadOnlyList<string> files)
    {
        var references = new List<(string Class, string Instance)>();
        foreach (var file in files)
        {
            var response = await client.StoreFileAsync(file);
            response.Status!.Value.IsSuccess.Should().BeTrue();
            var (sopClass, sopInstance, _) = await DicomClient.ReadFileInfoAsync(file);
            references.Add((sopClass, sopInstance));
        }

        return references;
    }

    private static ReadOnlyMemory<byte> EncodeRequest(string transaction, IEnumerable<(string Class, string Instance)> references)
    {
        var items = references.Select(r => new DicomDataset()
            .AddOrUpdate(DicomTag.ReferencedSOPClassUID, r.Class)
            .AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, r.Instance)).ToArray();
        return Encode(new DicomDataset().AddOrUpdate(DicomTag.TransactionUID, transaction).AddOrUpdate(DicomTag.ReferencedSOPSequence, items));
    }

    private static ReadOnlyMemory<byte> Encode(DicomDataset dataset)
    {
        var buffer = new ArrayBufferWriter<byte>();
        DicomDatasetWriter.Write(buffer, dataset, TransferSyntax.ExplicitVRLittleEndian);
        return buffer.WrittenMemory;
    }

    private static List<DicomDataset> Items(DicomDataset dataset, DicomTag tag) => dataset.GetSequence(tag)?.Items ?? [];

    private static Dictionary<string, ushort> FailureReasons(DicomDataset result) =>
        Items(result, DicomTag.FailedSOPSequence).ToDictionary(
            i => i.GetString(DicomTag.ReferencedSOPInstanceUID),
            i => i.TryGetInt32(DicomTag.FailureReason, out var reason) ? (ushort)reason : (ushort)0);

    private static string NewUid() => "2.25." + new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true)
        .ToString(CultureInfo.InvariantCulture);

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for the archive");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<Requester> StartRequesterAsync(int port)
    {
        var requester = new Requester();
        var server = new DicomServer(new DicomServerOptions { AeTitle = Modality, Port = port, ListenAddress = System.Net.IPAddress.Loopback },
            new DicomServiceHandlers { EventReport = requester });
        await server.StartAsync(CancellationToken.None);
        requester.Server = server;
        return requester;
    }

    internal sealed record ReceivedReport(ushort EventTypeId, string CallingAeTitle, DicomDataset Result);

    /// <summary>The modality's listener: accepts the archive's association (SCP role proposed by the archive) and records the report.</summary>
    private sealed class Requester : IEventReportHandler, IAsyncDisposable
    {
        public DicomServer? Server { get; set; }

        public TaskCompletionSource<ReceivedReport> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyCollection<string> SopClassUids { get; } = [DicomNetworkUids.StorageCommitmentPushModel];

        public ValueTask<DimseStatus> OnEventReportAsync(EventReportRequest request, ReadOnlyMemory<byte> eventInformation,
            CancellationToken cancellationToken)
        {
            var result = DicomDatasetReader.Read(eventInformation, TransferSyntax.Lookup(request.TransferSyntaxUid));
            Received.TrySetResult(new ReceivedReport(request.EventTypeId, request.Association.CallingAeTitle, result));
            return ValueTask.FromResult(DimseStatus.Success);
        }

        public async ValueTask DisposeAsync()
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }
        }
    }
}
