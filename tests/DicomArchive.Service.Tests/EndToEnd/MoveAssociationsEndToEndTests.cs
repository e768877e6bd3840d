using System.Buffers;
using System.Diagnostics;
using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Service.Tests.Support;

namespace DicomArchive.Service.Tests.EndToEnd;

/// <summary>
/// A C-MOVE's sub-operations over several associations to the destination (Peers[i].AssociationsPerMove): a
/// destination serving associations in parallel gets the study over two, each instance once; one serving a single
/// association at a time (storescp without --fork), one rejecting the extra association, or one dropping an
/// association midway still gets a correct move; C-CANCEL with two associations gives consistent counts.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public sealed class MoveAssociationsEndToEndTests
{
    private const string Study = "1.2.826.0.1.3680043.10.8.1";
    private const int Count = 40;
    private const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";

    private string folder = null!;
    private ArchiveProcess archive = null!;
    private int parallelPort;
    private int onePort;
    private int serialPort;
    private int forkPort;
    private int rejectingPort;

    [OneTimeSetUp]
    public async Task StoreStudy()
    {
        Dcmtk.Require("storescp");
        folder = TestInstances.NewTempFolder("move-associations");
        parallelPort = ArchiveProcess.FreePort();
        onePort = ArchiveProcess.FreePort();
        serialPort = ArchiveProcess.FreePort();
        forkPort = ArchiveProcess.FreePort();
        rejectingPort = ArchiveProcess.FreePort();
        var files = await TestInstances.WriteStudyAsync(Path.Combine(folder, "in"), Count, Study);
        archive = await ArchiveProcess.StartAsync(folder, null,
        [
            "--Archive:FsyncPolicy=Never",
            "--Archive:DimseTimeoutSeconds=10",
            "--Archive:AssociationTimeoutSeconds=20",
            .. Peer(0, "PARALLEL", parallelPort, "--Archive:Peers:0:MaxAssociations=2", "--Archive:Peers:0:AssociationsPerMove=2"),
            .. Peer(1, "ONE", onePort, "--Archive:Peers:1:MaxAssociations=4", "--Archive:Peers:1:AssociationsPerMove=1"),
            .. Peer(2, "SERIAL", serialPort, "--Archive:Peers:2:AssociationsPerMove=2"),
            .. Peer(3, "FORK", forkPort, "--Archive:Peers:3:AssociationsPerMove=2"),
            .. Peer(4, "REJECTING", rejectingPort, "--Archive:Peers:4:MaxAssociations=3", "--Archive:Peers:4:AssociationsPerMove=3"),
        ]);
        await StoreEndToEndTests.StoreAllAsync(archive.Port, files);
    }

    [OneTimeTearDown]
    public Task StopArchive() => ArchiveProcess.StopAndDeleteAsync(archive, folder);

    [Test]
    public async Task Move_TwoAssociationsToParallelDestination_EveryInstanceOnceOverBothWithMonotonicCounts()
    {
        await using var destination = await TestStoreDestination.StartAsync("PARALLEL", parallelPort, delay: TimeSpan.FromMilliseconds(15));

        var responses = await MoveAsync("PARALLEL");

        ShouldBeConsistent(responses);
        responses[^1].Status.Should().Be(DimseStatus.Success);
        responses[^1].Command.CompletedSuboperations.Should().Be(Count);
        responses.Count(r => r.Status.IsPending).Should().Be(Count - 1, "one pending response after each sub-operation but the last");
        destination.Received.Select(r => r.SopInstanceUid).Should().OnlyHaveUniqueItems().And.HaveCount(Count);
        destination.AssociationsThatStored.Should().Be(2);
        destination.Received.Should().AllSatisfy(r =>
        {
            r.Association.CallingAeTitle.Should().Be("DICOMARCHIVE");
            r.MoveOriginator.Should().Be("OURSCU");
        });
    }

    [Test]
    public async Task Move_AssociationsPerMoveOne_ExactlyOneAssociation()
    {
        await using var destination = await TestStoreDestination.StartAsync("ONE", onePort, delay: TimeSpan.FromMilliseconds(5));

        var responses = await MoveAsync("ONE");

        ShouldBeConsistent(responses);
        responses[^1].Status.Should().Be(DimseStatus.Success);
        destination.Received.Should().HaveCount(Count);
        destination.AssociationsThatStored.Should().Be(1);
    }

    [Test]
    public async Task Move_DestinationServesOneAssociationAtATime_AllOnTheFirstWithoutWaitingForTheSecond()
    {
        // storescp without --fork accepts the second connection but answers its A-ASSOCIATE-RQ only after the first
        // association ends: the move must not wait for it (AssociationTimeoutSeconds is 20 here).
        await using var storescp = await Storescp.StartAsync(Path.Combine(folder, "serial-" + Guid.NewGuid().ToString("N")[..8]), serialPort);
        var clock = Stopwatch.StartNew();

        var responses = await MoveAsync("SERIAL");

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        ShouldBeConsistent(responses);
        responses[^1].Status.Should().Be(DimseStatus.Success);
        responses[^1].Command.CompletedSuboperations.Should().Be(Count);
        (await storescp.ReceivedAsync()).Should().HaveCount(Count);
    }

    [Test]
    public async Task Move_StorescpWithFork_EveryInstanceExactlyOnce()
    {
        await using var storescp = await Storescp.StartAsync(Path.Combine(folder, "fork-" + Guid.NewGuid().ToString("N")[..8]), forkPort, "--fork");

        var responses = await MoveAsync("FORK");

        ShouldBeConsistent(responses);
        responses[^1].Status.Should().Be(DimseStatus.Success);
        responses[^1].Command.CompletedSuboperations.Should().Be(Count);
        var received = await storescp.ReceivedAsync();
        received.Should().HaveCount(Count);
        Directory.GetFiles(storescp.Folder).Should().HaveCount(Count, "each instance is sent exactly once");
    }

    [Test]
    public async Task Move_ExtraAssociationsRejected_SucceedsOnOne()
    {
        // The destination serves one association; the archive's two extra A-ASSOCIATE-RQs are rejected (transient).
        await using var destination = await TestStoreDestination.StartAsync("REJECTING", rejectingPort, maxAssociations: 1, delay: TimeSpan.FromMilliseconds(5));

        var responses = await MoveAsync("REJECTING");

        ShouldBeConsistent(responses);
        responses[^1].Status.Should().Be(DimseStatus.Success);
        responses[^1].Command.CompletedSuboperations.Should().Be(Count);
        destination.Received.Select(r => r.SopInstanceUid).Should().OnlyHaveUniqueItems().And.HaveCount(Count);
        destination.AssociationsThatStored.Should().Be(1);
    }

    [Test]
    public async Task Move_OneAssociationDroppedMidway_OtherCarriesOnAndOnlyTheInFlightInstanceFails()
    {
        // The second association is dropped on its third store, with no response: that instance fails, the first
        // association sends all the rest.
        await using var destination = await TestStoreDestination.StartAsync("PARALLEL", parallelPort, delay: TimeSpan.FromMilliseconds(15),
            abortWhen: (association, store) => association == 2 && store == 3);

        var responses = await MoveAsync("PARALLEL");

        ShouldBeConsistent(responses);
        var final = responses[^1];
        final.Status.Code.Should().Be(0xB000);
        (final.Command.CompletedSuboperations, final.Command.FailedSuboperations).Should().Be(((ushort)(Count - 1), (ushort)1));
        var delivered = destination.Received.Select(r => r.SopInstanceUid).ToList();
        delivered.Should().OnlyHaveUniqueItems().And.HaveCount(Count - 1);
        var failed = DicomDatasetReader.Read(final.DataSet!.Value, TransferSyntax.ExplicitVRLittleEndian).GetStrings(DicomTag.FailedSOPInstanceUIDList);
        failed.Should().ContainSingle();
        delivered.Should().NotContain(failed[0]);
        Enumerable.Range(1, Count).Select(i => $"{Study}.2.{i}").Should().BeEquivalentTo([.. delivered, failed[0]]);
    }

    [Test]
    public async Task Move_CancelledWithTwoAssociations_FE00WithCountsThatAddUp()
    {
        await using var destination = await TestStoreDestination.StartAsync("PARALLEL", parallelPort, delay: TimeSpan.FromMilliseconds(40));
        await using var client = await ConnectAsync();
        using var cancel = new CancellationTokenSource();

        var responses = new List<DimseResponse>();
        await foreach (var response in client.MoveAsync(StudyRootMove, "PARALLEL", Identifier(), cancel.Token))
        {
            responses.Add(response);
            if (response.Status.IsPending && response.Command.CompletedSuboperations >= 4)
            {
                await cancel.CancelAsync();
            }
        }

        await client.ReleaseAsync();
        ShouldBeConsistent(responses);
        var final = responses[^1];
        final.Status.Should().Be(DimseStatus.Cancel);
        var completed = (int)final.Command.CompletedSuboperations!;
        var remaining = (int)(final.Command.RemainingSuboperations ?? 0);
        completed.Should().BeInRange(4, Count - 1);
        remaining.Should().BeGreaterThan(0);
        (completed + final.Command.FailedSuboperations!.Value + final.Command.WarningSuboperations!.Value + remaining).Should().Be(Count);
        destination.Received.Should().HaveCount(completed, "the sub-operations in flight at C-CANCEL finish and are counted");
    }

    [Test]
    public async Task Start_AssociationsPerMoveAboveMaxAssociations_ReportedAndExits()
    {
        var root = TestInstances.NewTempFolder("move-associations-invalid");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "dicom-archive.dll"), $"--Archive:Port={ArchiveProcess.FreePort()}",
            .. ArchiveProcess.DataArgs(root), .. Peer(0, "VIEWER", 104, "--Archive:Peers:0:MaxAssociations=2", "--Archive:Peers:0:AssociationsPerMove=3"),
            .. Peer(1, "OTHER", 104, "--Archive:Peers:1:AssociationsPerMove=0")])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await error;

        process.ExitCode.Should().NotBe(0, text);
        text.Should().Contain("Archive:Peers:0:AssociationsPerMove: 3 is not between 1 and Archive:Peers:0:MaxAssociations (2)")
            .And.Contain("Archive:Peers:1:AssociationsPerMove: 0 ");
        Directory.Delete(root, recursive: true);
    }

    private static string[] Peer(int index, string aeTitle, int port, params string[] more) =>
    [
        $"--Archive:Peers:{index}:AeTitle={aeTitle}", $"--Archive:Peers:{index}:Host=127.0.0.1", $"--Archive:Peers:{index}:Port={port}", .. more,
    ];

    /// <summary>Pending responses: remaining strictly decreasing, completed/failed/warning never decreasing, and every response adds up.</summary>
    private static void ShouldBeConsistent(List<DimseResponse> responses)
    {
        responses.Should().NotBeEmpty();
        var end = responses[^1];
        responses.Should().HaveCountGreaterThan(1, $"the final response was {end.Status.Code:X4} {end.Command.ErrorComment}");
        responses[..^1].Should().AllSatisfy(r => r.Status.IsPending.Should().BeTrue());
        responses[^1].Status.IsPending.Should().BeFalse();
        var lastRemaining = int.MaxValue;
        (int Completed, int Failed, int Warning) last = (0, 0, 0);
        foreach (var response in responses)
        {
            var command = response.Command;
            var now = ((int)command.CompletedSuboperations!, (int)command.FailedSuboperations!, (int)command.WarningSuboperations!);
            now.Item1.Should().BeGreaterThanOrEqualTo(last.Completed);
            now.Item2.Should().BeGreaterThanOrEqualTo(last.Failed);
            now.Item3.Should().BeGreaterThanOrEqualTo(last.Warning);
            last = now;
            if (response.Status.IsPending)
            {
                var remaining = (int)command.RemainingSuboperations!;
                remaining.Should().BeLessThan(lastRemaining);
                lastRemaining = remaining;
                (remaining + now.Item1 + now.Item2 + now.Item3).Should().Be(Count);
            }
        }
    }

    private async Task<List<DimseResponse>> MoveAsync(string destination)
    {
        await using var client = await ConnectAsync();
        var responses = new List<DimseResponse>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var response in client.MoveAsync(StudyRootMove, destination, Identifier(), timeout.Token))
        {
            responses.Add(response);
        }

        await client.ReleaseAsync();
        return responses;
    }

    private async Task<DicomClient> ConnectAsync()
    {
        var options = new DicomClientOptions { CalledAeTitle = "DICOMARCHIVE", CallingAeTitle = "OURSCU", AssociationTimeout = TimeSpan.FromSeconds(10) };
        return await DicomClient.ConnectAsync("127.0.0.1", archive.Port, options, [new PresentationContextRequest(1, StudyRootMove, TransferSyntax.ExplicitVRLittleEndian.Uid)]);
    }

    private static ReadOnlyMemory<byte> Identifier()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, "STUDY");
        identifier.AddOrUpdate(DicomTag.StudyInstanceUID, Study);
        var buffer = new ArrayBufferWriter<byte>();
        DicomDatasetWriter.Write(buffer, identifier, TransferSyntax.ExplicitVRLittleEndian);
        return buffer.WrittenMemory;
    }
}
