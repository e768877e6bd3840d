using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Tests.Support;

namespace DicomArchive.Service.Tests.EndToEnd;

/// <summary>
/// C-MOVE and C-GET against the running archive: DCMTK movescu with storescp as the destination, getscu, and our own
/// SCU; every level, UID lists, concurrent moves, unknown and unreachable destinations, cancel, syntax conversion
/// for a destination that takes Implicit VR only, and a compressed instance no destination syntax fits.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public sealed partial class RetrieveEndToEndTests
{
    private const string Root = "1.2.826.0.1.3680043.10.7";
    private const string StudyA = Root + ".1";
    private const string StudyB = Root + ".2";
    private const string BigStudy = Root + ".3";
    private const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";
    private const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";
    private const string SecondaryCapture = "1.2.840.10008.5.1.4.1.1.7";
    private const string JpegBaseline = "1.2.840.10008.1.2.4.50";

    private readonly Dictionary<string, string> originals = new(StringComparer.Ordinal);
    private string folder = null!;
    private ArchiveProcess archive = null!;
    private int storescpPort;
    private int implicitPort;
    private string jpegFile = null!;
    private string jpegSopUid = null!;
    private string jpegStudyUid = null!;

    [OneTimeSetUp]
    public async Task StoreCorpus()
    {
        Dcmtk.Require("movescu");
        Dcmtk.Require("getscu");
        Dcmtk.Require("storescp");
        folder = TestInstances.NewTempFolder("retrieve");
        storescpPort = ArchiveProcess.FreePort();
        implicitPort = ArchiveProcess.FreePort();
        var downPort = ArchiveProcess.FreePort();
        var files = new List<string>();
        foreach (var (sop, series) in new[] { ("1.1.1", "1.1"), ("1.1.2", "1.1"), ("1.1.3", "1.1"), ("1.2.1", "1.2"), ("1.2.2", "1.2"), ("2.1.1", "2.1"), ("2.1.2", "2.1") })
        {
            var study = Root + "." + sop[..1];
            var path = await TestInstances.SaveAsync(Path.Combine(folder, "in"),
                TestInstances.Ct($"{Root}.{sop}", study, $"{Root}.{series}", pixelBytes: 2048 + sop.Length));
            originals[$"{Root}.{sop}"] = path;
            files.Add(path);
        }

        files.AddRange(await TestInstances.WriteStudyAsync(Path.Combine(folder, "big"), 300, BigStudy));
        jpegFile = Path.Combine(Dcmtk.PydicomTestFiles, "SC_rgb_jpeg_dcmtk.dcm");
        var jpeg = await DicomFileReader.OpenAsync(jpegFile, new DicomReaderOptions { StopBeforeTag = DicomTag.PixelData });
        jpegSopUid = jpeg.Dataset.GetString(DicomTag.SOPInstanceUID);
        jpegStudyUid = jpeg.Dataset.GetString(DicomTag.StudyInstanceUID);

        archive = await ArchiveProcess.StartAsync(folder, null,
            "--Archive:FsyncPolicy=Never",
            "--Archive:DimseTimeoutSeconds=10",
            "--Archive:Peers:0:AeTitle=STORESCP", "--Archive:Peers:0:Host=127.0.0.1", $"--Archive:Peers:0:Port={storescpPort}",
            "--Archive:Peers:1:AeTitle=IMPLICIT", "--Archive:Peers:1:Host=127.0.0.1", $"--Archive:Peers:1:Port={implicitPort}",
            "--Archive:Peers:2:AeTitle=DOWN", "--Archive:Peers:2:Host=127.0.0.1", $"--Archive:Peers:2:Port={downPort}",
            "--Archive:Peers:3:AeTitle=OURSCU", "--Archive:Peers:3:Host=127.0.0.1", $"--Archive:Peers:3:Port={storescpPort}");
        await using var client = await StoreEndToEndTests.ConnectAsync(archive.Port, new PresentationContextRequest(5, SecondaryCapture, JpegBaseline));
        foreach (var file in files)
        {
            (await client.StoreFileAsync(file)).Status!.Value.IsSuccess.Should().BeTrue();
        }

        (await client.StoreFileAsync(jpegFile)).Status!.Value.IsSuccess.Should().BeTrue();
        await client.ReleaseAsync();
    }

    [OneTimeTearDown]
    public Task StopArchive() => ArchiveProcess.StopAndDeleteAsync(archive, folder);

    [TestCase("-S", new[] { "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + StudyA }, new[] { "1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2" })]
    [TestCase("-S", new[] { "QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + StudyA, "SeriesInstanceUID=" + Root + ".1.2" }, new[] { "1.2.1", "1.2.2" })]
    [TestCase("-P", new[] { "QueryRetrieveLevel=IMAGE", "PatientID=PID1", "StudyInstanceUID=" + StudyA, "SeriesInstanceUID=" + Root + ".1.1",
        "SOPInstanceUID=" + Root + ".1.1.1\\" + Root + ".1.1.3" }, new[] { "1.1.1", "1.1.3" })]
    [TestCase("-P", new[] { "QueryRetrieveLevel=STUDY", "PatientID=PID1", "StudyInstanceUID=" + StudyA + "\\" + StudyB },
        new[] { "1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2", "2.1.1", "2.1.2" })]
    public async Task MoveScu_EachLevel_EveryInstanceArrivesUnchangedWithCounts(string model, string[] keys, string[] expected)
    {
        await using var storescp = await Storescp.StartAsync(NewFolder("dest"), storescpPort);

        var output = await MovescuAsync(model, "STORESCP", keys);

        output.Should().Contain("0x0000: Success");
        Counts(output).Should().Be((expected.Length, 0, 0), output);
        await ShouldHaveReceivedUnchangedAsync(storescp, expected);
    }

    [Test]
    public async Task MoveScu_TwoMovesAtOnce_BothComplete()
    {
        await using var storescp = await Storescp.StartAsync(NewFolder("dest"), storescpPort);

        var outputs = await Task.WhenAll(
            MovescuAsync("-S", "STORESCP", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + StudyA),
            MovescuAsync("-S", "STORESCP", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + StudyB));

        Counts(outputs[0]).Should().Be((5, 0, 0), outputs[0]);
        Counts(outputs[1]).Should().Be((2, 0, 0), outputs[1]);
        await ShouldHaveReceivedUnchangedAsync(storescp, ["1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2", "2.1.1", "2.1.2"]);
    }

    [TestCase("QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + StudyA, null, new[] { "1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2" })]
    [TestCase("QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + StudyB, "SeriesInstanceUID=" + Root + ".2.1", new[] { "2.1.1", "2.1.2" })]
    [TestCase("QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + StudyA, "SOPInstanceUID=" + Root + ".1.2.2", new[] { "1.2.2" })]
    public async Task GetScu_EachLevel_EveryInstanceArrivesUnchangedWithCounts(string level, string study, string? lower, string[] expected)
    {
        var destination = NewFolder("get");
        List<string> args = ["-d", "-S", "-od", destination, "-k", level, "-k", study];
        if (lower is not null)
        {
            args.AddRange(["-k", lower]);
        }

        var (_, output) = await Dcmtk.RunAsync("getscu", [.. args, "-aec", "DICOMARCHIVE", "127.0.0.1", Port], TimeSpan.FromSeconds(20));

        output.Should().Contain("0x0000: Success");
        Counts(output).Should().Be((expected.Length, 0, 0), output);
        var received = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(destination))
        {
            received[(await DicomFileReader.OpenAsync(file)).Dataset.GetString(DicomTag.SOPInstanceUID)] = file;
        }

        await ShouldBeUnchangedAsync(received, expected);
    }

    [Test]
    public async Task MoveScu_UnknownDestination_RefusedWithA801AndLogNamesTheKey()
    {
        var output = await MovescuAsync("-S", "NOSUCHAE", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + StudyA);

        output.Should().Contain("0xa801");
        await WaitForOutputAsync("Archive:Peers entry with AeTitle=NOSUCHAE");
    }

    [Test]
    public async Task MoveScu_DestinationDown_RefusedWithA702()
    {
        var output = await MovescuAsync("-S", "DOWN", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + StudyB);

        output.Should().Contain("0xa702");
        Counts(output).Should().Be((0, 2, 0), output);
    }

    [Test]
    public async Task MoveScu_ImplicitOnlyDestination_ConvertedAndDataSetsEqual()
    {
        await using var storescp = await Storescp.StartAsync(NewFolder("implicit"), implicitPort, "+xi");

        var output = await MovescuAsync("-S", "IMPLICIT", "QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + StudyA, "SeriesInstanceUID=" + Root + ".1.1");

        Counts(output).Should().Be((3, 0, 0), output);
        var received = await storescp.ReceivedAsync();
        received.Keys.Should().BeEquivalentTo([$"{Root}.1.1.1", $"{Root}.1.1.2", $"{Root}.1.1.3"]);
        foreach (var (sop, file) in received)
        {
            (await DicomFileReader.OpenAsync(file)).TransferSyntax.Should().Be(TransferSyntax.ImplicitVRLittleEndian);
            (await StoredFiles.SameElementsAsync(originals[sop], file)).Should().BeTrue(sop);
        }
    }

    [Test]
    public async Task MoveScu_CompressedInstanceNoDestinationSyntaxFits_FailedWithUidInFailedList()
    {
        // storescp accepts the uncompressed syntaxes only by default; the archive has no JPEG decoder.
        await using var storescp = await Storescp.StartAsync(NewFolder("nojpeg"), storescpPort);

        var output = await MovescuAsync("-S", "STORESCP", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + jpegStudyUid);

        Counts(output).Should().Be((0, 1, 0), output);
        output.Should().Contain("0xa702").And.Contain("FailedSOPInstanceUIDList").And.Contain(jpegSopUid);
        Directory.GetFiles(storescp.Folder).Should().BeEmpty();
    }

    [Test]
    public async Task MoveScu_CompressedInstanceDestinationAcceptsIt_SentAsStored()
    {
        await using var storescp = await Storescp.StartAsync(NewFolder("jpeg"), storescpPort, "+xa");

        var output = await MovescuAsync("-S", "STORESCP", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + jpegStudyUid);

        Counts(output).Should().Be((1, 0, 0), output);
        var received = await storescp.ReceivedAsync();
        (await StoredFiles.SameDataSetAsync(jpegFile, received[jpegSopUid])).Should().BeTrue();
    }

    [Test]
    public async Task MoveScu_StalledDestination_TimesOutWithoutHoldingOtherMoves()
    {
        // A destination that never answers its C-STORE: after the 1 s DIMSE timeout the archive aborts, waits up to the
        // 1 s ARTIM for the close (PS3.8 9.1.6) and ends the move; a move to another destination meanwhile is not held up.
        var root = TestInstances.NewTempFolder("retrieve-stall");
        var stalledPort = ArchiveProcess.FreePort();
        var healthyPort = ArchiveProcess.FreePort();
        await using var stalled = await Storescp.StartAsync(Path.Combine(root, "stalled"), stalledPort, "--sleep-during", "30");
        await using var healthy = await Storescp.StartAsync(Path.Combine(root, "healthy"), healthyPort);
        await using var quick = await ArchiveProcess.StartAsync(root, null, "--Archive:FsyncPolicy=Never", "--Archive:DimseTimeoutSeconds=1",
            "--Archive:AssociationTimeoutSeconds=1", "--Archive:Peers:0:AeTitle=STALLED", "--Archive:Peers:0:Host=127.0.0.1", $"--Archive:Peers:0:Port={stalledPort}",
            "--Archive:Peers:1:AeTitle=HEALTHY", "--Archive:Peers:1:Host=127.0.0.1", $"--Archive:Peers:1:Port={healthyPort}");
        await using (var client = await StoreEndToEndTests.ConnectAsync(quick.Port))
        {
            foreach (var sop in new[] { "1.1.1", "2.1.1" })
            {
                (await client.StoreFileAsync(originals[$"{Root}.{sop}"])).Status!.Value.IsSuccess.Should().BeTrue();
            }

            await client.ReleaseAsync();
        }

        var port = quick.Port.ToString(CultureInfo.InvariantCulture);
        var started = DateTime.UtcNow;
        var stalledMove = Dcmtk.RunAsync("movescu", ["-d", "-S", "-aem", "STALLED", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + StudyA,
            "-aec", "DICOMARCHIVE", "127.0.0.1", port], TimeSpan.FromSeconds(20));
        await Task.Delay(200);
        var (_, healthyOutput) = await Dcmtk.RunAsync("movescu", ["-d", "-S", "-aem", "HEALTHY", "-k", "QueryRetrieveLevel=STUDY",
            "-k", "StudyInstanceUID=" + StudyB, "-aec", "DICOMARCHIVE", "127.0.0.1", port], TimeSpan.FromSeconds(20));
        Counts(healthyOutput).Should().Be((1, 0, 0), healthyOutput);

        var (_, stalledOutput) = await stalledMove;
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(8));
        stalledOutput.Should().Contain("0xa702").And.Contain($"{Root}.1.1.1");
        Counts(stalledOutput).Should().Be((0, 1, 0), stalledOutput);
        await quick.DisposeAsync();
        await stalled.DisposeAsync();
        await healthy.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public async Task OwnScu_Move_StudyArrivesWithPendingCounts()
    {
        await using var storescp = await Storescp.StartAsync(NewFolder("own-move"), storescpPort);
        await using var client = await ConnectRetrieveAsync();

        var responses = new List<DimseResponse>();
        await foreach (var response in client.MoveAsync(StudyRootMove, "OURSCU", Identifier("STUDY", StudyA)))
        {
            responses.Add(response);
        }

        await client.ReleaseAsync();
        responses.Should().HaveCount(5);
        responses[..4].Should().AllSatisfy(r => r.Status.IsPending.Should().BeTrue());
        responses.Select(r => r.Command.RemainingSuboperations).Should().Equal(4, 3, 2, 1, null);
        responses[^1].Status.Should().Be(DimseStatus.Success);
        responses[^1].Command.CompletedSuboperations.Should().Be(5);
        await ShouldHaveReceivedUnchangedAsync(storescp, ["1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2"]);
    }

    [Test]
    public async Task OwnScu_Get_SeriesArrivesOnOwnAssociationByteForByte()
    {
        var received = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        await using var client = await ConnectRetrieveAsync();

        var responses = new List<DimseResponse>();
        await foreach (var response in client.GetAsync(StudyRootGet, Identifier("SERIES", StudyA, Root + ".1.1"), new CollectingStoreHandler(received)))
        {
            responses.Add(response);
        }

        await client.ReleaseAsync();
        responses[^1].Status.Should().Be(DimseStatus.Success);
        responses[^1].Command.CompletedSuboperations.Should().Be(3);
        received.Keys.Should().BeEquivalentTo([$"{Root}.1.1.1", $"{Root}.1.1.2", $"{Root}.1.1.3"]);
        foreach (var (sop, bytes) in received)
        {
            bytes.Should().Equal((await StoredFiles.SplitAsync(originals[sop])).DataSet, sop);
        }
    }

    [Test]
    public async Task OwnScu_MoveCancelledAfterFirstPending_EndsWithFE00AndCounts()
    {
        await using var storescp = await Storescp.StartAsync(NewFolder("cancel"), storescpPort, "--ignore");
        await using var client = await ConnectRetrieveAsync();
        using var cancel = new CancellationTokenSource();

        var responses = new List<DimseResponse>();
        await foreach (var response in client.MoveAsync(StudyRootMove, "STORESCP", Identifier("STUDY", BigStudy), cancel.Token))
        {
            responses.Add(response);
            await cancel.CancelAsync();
        }

        await client.ReleaseAsync();
        var final = responses[^1];
        final.Status.Should().Be(DimseStatus.Cancel);
        final.Command.CompletedSuboperations.Should().BeInRange(1, 299);
        ((int)final.Command.CompletedSuboperations! + final.Command.FailedSuboperations!.Value).Should().BeLessThan(300);
    }

    [Test]
    public async Task OwnScu_GetCancelledAfterFirstPending_EndsWithFE00()
    {
        var received = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        await using var client = await ConnectRetrieveAsync();
        using var cancel = new CancellationTokenSource();

        var responses = new List<DimseResponse>();
        await foreach (var response in client.GetAsync(StudyRootGet, Identifier("STUDY", BigStudy), new CollectingStoreHandler(received), cancel.Token))
        {
            responses.Add(response);
            await cancel.CancelAsync();
        }

        await client.ReleaseAsync();
        responses[^1].Status.Should().Be(DimseStatus.Cancel);
        received.Count.Should().BeInRange(1, 299);
    }

    private string Port => archive.Port.ToString(CultureInfo.InvariantCulture);

    private string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(folder, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    private async Task<string> MovescuAsync(string model, string destination, params string[] keys)
    {
        List<string> args = ["-d", model, "-aem", destination];
        foreach (var key in keys)
        {
            args.AddRange(["-k", key]);
        }

        var (_, output) = await Dcmtk.RunAsync("movescu", [.. args, "-aec", "DICOMARCHIVE", "127.0.0.1", Port], TimeSpan.FromSeconds(20));
        return output;
    }

    /// <summary>Completed, failed and warning counts of the final response in a DCMTK -d log.</summary>
    private static (int Completed, int Failed, int Warning) Counts(string output)
    {
        var final = output[output.LastIndexOf("Completed Suboperations", StringComparison.Ordinal)..];
        return (Number(final, "Completed"), Number(final, "Failed"), Number(final, "Warning"));
    }

    private static int Number(string text, string what)
    {
        var match = Regex.Match(text, what + @" Suboperations\s*:\s*(\d+|none)");
        return match.Success && match.Groups[1].Value != "none" ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private async Task ShouldHaveReceivedUnchangedAsync(Storescp storescp, string[] expected) =>
        await ShouldBeUnchangedAsync(await storescp.ReceivedAsync(), expected);

    private async Task ShouldBeUnchangedAsync(Dictionary<string, string> received, string[] expected)
    {
        received.Keys.Should().BeEquivalentTo(expected.Select(e => $"{Root}.{e}"));
        foreach (var (sop, file) in received)
        {
            (await StoredFiles.SameDataSetAsync(originals[sop], file)).Should().BeTrue(sop);
        }
    }

    private async Task WaitForOutputAsync(string text)
    {
        for (var i = 0; i < 50 && !archive.Output.Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
        }

        archive.Output.Should().Contain(text);
    }

    private async Task<DicomClient> ConnectRetrieveAsync()
    {
        var options = new DicomClientOptions { CalledAeTitle = "DICOMARCHIVE", CallingAeTitle = "OURSCU", AssociationTimeout = TimeSpan.FromSeconds(10) };
        options.RoleSelections.Add(new ScpScuRoleSelection(TestInstances.CtImageStorage, ScuRole: false, ScpRole: true));
        PresentationContextRequest[] contexts =
        [
            new(1, StudyRootMove, TransferSyntax.ExplicitVRLittleEndian.Uid),
            new(3, StudyRootGet, TransferSyntax.ExplicitVRLittleEndian.Uid),
            new(5, TestInstances.CtImageStorage, TransferSyntax.ExplicitVRLittleEndian.Uid),
        ];
        return await DicomClient.ConnectAsync("127.0.0.1", archive.Port, options, contexts);
    }

    private static ReadOnlyMemory<byte> Identifier(string level, string study, string? series = null)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, level);
        identifier.AddOrUpdate(DicomTag.StudyInstanceUID, study);
        if (series is not null)
        {
            identifier.AddOrUpdate(DicomTag.SeriesInstanceUID, series);
        }

        var buffer = new ArrayBufferWriter<byte>();
        DicomDatasetWriter.Write(buffer, identifier, TransferSyntax.ExplicitVRLittleEndian);
        return buffer.WrittenMemory;
    }

    /// <summary>Keeps each C-GET sub-operation's data set bytes by SOP Instance UID.</summary>
    private sealed class CollectingStoreHandler(ConcurrentDictionary<string, byte[]> received) : IStoreHandler
    {
        public async ValueTask<DimseStatus> OnStoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            using var copy = new MemoryStream();
            await dataSet.CopyToAsync(copy, cancellationToken);
            received[request.SopInstanceUid] = copy.ToArray();
            return DimseStatus.Success;
        }
    }
}
