using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Service.Tests.Support;

namespace DicomArchive.Service.Tests.EndToEnd;

/// <summary>The real executable, talked to by DCMTK and by our own SCU (issue 3 and 4 end-to-end behaviour).</summary>
[NonParallelizable]
public sealed class StoreEndToEndTests
{
    private string root = null!;

    [SetUp]
    public void SetUp() => root = TestInstances.NewTempFolder("e2e");

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
    [Category("Interop")]
    public async Task Echo_FromEchoscu_Succeeds()
    {
        Dcmtk.Require("echoscu");
        await using var archive = await ArchiveProcess.StartAsync(root);

        var (code, output) = await Dcmtk.RunAsync("echoscu", ["-aec", "DICOMARCHIVE", "127.0.0.1", archive.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        code.Should().Be(0, output);
    }

    [Test]
    [Category("Interop")]
    public async Task Echo_WrongCalledAeTitle_RejectedAndEchoscuFails()
    {
        Dcmtk.Require("echoscu");
        await using var archive = await ArchiveProcess.StartAsync(root);

        var (code, output) = await Dcmtk.RunAsync("echoscu", ["-aec", "SOMEONEELSE", "127.0.0.1", archive.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        code.Should().NotBe(0);
        output.Should().Contain("Called AE Title Not Recognized");
    }

    [Test]
    public async Task Store_EightConcurrentAssociations_EveryInstanceStoredAndVerifyClean()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 40);
        await using var archive = await ArchiveProcess.StartAsync(root);

        var tasks = Enumerable.Range(0, 8).Select(async worker =>
        {
            await using var client = await ConnectAsync(archive.Port);
            for (var i = worker; i < files.Count; i += 8)
            {
                var response = await client.StoreFileAsync(files[i]);
                response.Status!.Value.IsSuccess.Should().BeTrue();
            }

            await client.ReleaseAsync();
        });
        await Task.WhenAll(tasks);

        Directory.GetFiles(archive.StorageRoot, "*.dcm", SearchOption.AllDirectories).Should().HaveCount(40);
        (await archive.TerminateAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        var (code, stdout, _) = await RunVerbAsync(["verify", .. ArchiveProcess.DataArgs(root)]);
        code.Should().Be(0, stdout);
        stdout.Should().Contain("checked 40 instances");
    }

    [Test]
    public async Task EchoVerb_AgainstRunningArchive_PrintsRoundTripAndStatsCountsWhatWasStored()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 3);
        await using var archive = await ArchiveProcess.StartAsync(root);
        await using (var client = await ConnectAsync(archive.Port))
        {
            foreach (var file in files)
            {
                (await client.StoreFileAsync(file)).Status!.Value.IsSuccess.Should().BeTrue();
            }

            await client.ReleaseAsync();
        }

        var (code, stdout, stderr) = await RunVerbAsync(["echo", $"DICOMARCHIVE@127.0.0.1:{archive.Port}", "--count", "2"]);
        code.Should().Be(0, stderr);
        stdout.Should().Contain("association accepted by DICOMARCHIVE").And.Contain("C-ECHO status 0000H (Success) in");

        (code, stdout, _) = await RunVerbAsync(["stats", .. ArchiveProcess.DataArgs(root)]);
        code.Should().Be(0, "stats reads the index while the service runs");
        stdout.Should().MatchRegex(@"instances\s+3\b").And.MatchRegex(@"studies\s+1\b");

        (code, _, stderr) = await RunVerbAsync(["echo", $"WRONGAE@127.0.0.1:{archive.Port}"]);
        code.Should().Be(1);
        stderr.Should().Contain("WRONGAE");

        // The audit trail has its own file: one STORE line per instance, naming the caller (within a second: the
        // file is written in blocks).
        Directory.GetFiles(Path.Combine(root, "logs"), "audit-*.log").Should().ContainSingle();
        static int StoreLines(string text) => text.Split('\n').Count(line => line.Contains("STORE TESTSCU->DICOMARCHIVE", StringComparison.Ordinal));
        var text = await archive.WaitForAuditAsync(text => StoreLines(text) >= 3, TimeSpan.FromSeconds(10));
        StoreLines(text).Should().Be(3);

        // ... and only there: per-instance lines do not flood the console (journal) or the operational log.
        archive.Output.Should().NotContain("STORE TESTSCU->DICOMARCHIVE");
        var mainLog = Directory.GetFiles(Path.Combine(root, "logs"), "dicom-archive-*.log").Should().ContainSingle().Subject;
        await using (var stream = new FileStream(mainLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
        {
            (await reader.ReadToEndAsync()).Should().NotContain("STORE TESTSCU->DICOMARCHIVE");
        }
    }

    [Test]
    public async Task StoreFile_OnlyImplicitAccepted_ClientConvertsAndArchiveKeepsImplicit()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 1, syntax: Dicom.TransferSyntax.ExplicitVRBigEndian);
        await using var archive = await ArchiveProcess.StartAsync(root);
        var options = new DicomClientOptions { CalledAeTitle = "DICOMARCHIVE", CallingAeTitle = "TESTSCU" };
        await using var client = await DicomClient.ConnectAsync("127.0.0.1", archive.Port, options,
            [new PresentationContextRequest(1, TestInstances.CtImageStorage, "1.2.840.10008.1.2")]);

        var response = await client.StoreFileAsync(files[0]);

        response.Status!.Value.IsSuccess.Should().BeTrue();
        var stored = Directory.GetFiles(archive.StorageRoot, "*.dcm", SearchOption.AllDirectories).Should().ContainSingle().Subject;
        var (meta, _) = await StoredFiles.SplitAsync(stored);
        meta.GetString(Dicom.DicomTag.TransferSyntaxUID).Should().Be("1.2.840.10008.1.2", "the big endian file was converted to what was accepted");
        var sent = await Dicom.DicomFileReader.OpenAsync(files[0]);
        var kept = await Dicom.DicomFileReader.OpenAsync(stored);
        Dicom.Json.DicomJsonWriter.ToJson(kept.Dataset, indented: false).Should().Be(Dicom.Json.DicomJsonWriter.ToJson(sent.Dataset, indented: false));
    }

    [Test]
    public async Task Store_AcceptedTransferSyntaxesConfigured_OtherSyntaxesRejectedPerContext()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 1);
        await using var archive = await ArchiveProcess.StartAsync(root, null, "--Archive:AcceptedTransferSyntaxes:0=1.2.840.10008.1.2");
        var options = new DicomClientOptions { CalledAeTitle = "DICOMARCHIVE", CallingAeTitle = "TESTSCU" };
        await using var client = await DicomClient.ConnectAsync("127.0.0.1", archive.Port, options,
        [
            new PresentationContextRequest(1, TestInstances.CtImageStorage, "1.2.840.10008.1.2.1"),
            new PresentationContextRequest(3, TestInstances.CtImageStorage, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"),
        ]);

        client.FindContext(TestInstances.CtImageStorage, "1.2.840.10008.1.2.1").Should().BeNull("only Implicit VR Little Endian is configured");
        (await client.StoreFileAsync(files[0])).Status!.Value.IsSuccess.Should().BeTrue("the client converts to the accepted syntax");
    }

    [Test]
    public async Task Start_UnknownAcceptedTransferSyntax_ExitsTwoNamingTheKey()
    {
        var (code, _, stderr) = await RunVerbAsync(["stats", .. ArchiveProcess.DataArgs(root), "--Archive:AcceptedTransferSyntaxes:0=1.2.3"]);

        code.Should().Be(2);
        stderr.Should().Contain("Archive:AcceptedTransferSyntaxes:0: '1.2.3' is not a transfer syntax UID");
    }

    [Test]
    public async Task Sigterm_WhileIdle_ExitsZeroWithinTenSeconds()
    {
        await using var archive = await ArchiveProcess.StartAsync(root);

        var code = await archive.TerminateAsync(TimeSpan.FromSeconds(10));

        code.Should().Be(0, archive.Output);
    }

    [Test]
    public async Task Store_BelowFreeDiskThreshold_RefusedWithA700AndNothingStored()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 1);
        await using var archive = await ArchiveProcess.StartAsync(root, null, "--Archive:MinimumFreeDiskBytes=" + long.MaxValue);

        await using var client = await ConnectAsync(archive.Port);
        var response = await client.StoreFileAsync(files[0]);

        response.Status!.Value.Code.Should().Be(0xA700);
        Directory.GetFiles(archive.StorageRoot, "*.dcm", SearchOption.AllDirectories).Should().BeEmpty();
        (await client.EchoAsync()).IsSuccess.Should().BeTrue("the association and the service live on");
    }

    [Test]
    [Category("Interop")]
    public async Task Store_EveryPydicomFileStorescuSends_StoredUnchangedAndKeptAfterRestart()
    {
        Dcmtk.Require("storescu");
        var sent = await PydicomCorpus.DistinctInstancesAsync();
        sent.Should().NotBeEmpty();
        var acknowledged = new List<(string File, string SopInstanceUid)>();
        await using (var archive = await ArchiveProcess.StartAsync(root))
        {
            foreach (var (file, sopUid, syntax) in sent)
            {
                if (PydicomCorpus.StorescuSyntaxOption(syntax) is not { } option)
                {
                    continue;
                }

                var (_, output) = await Dcmtk.RunAsync("storescu",
                    [option, "-v", "-aec", "DICOMARCHIVE", "127.0.0.1", archive.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), file]);
                if (output.Contains("Received Store Response (Success)", StringComparison.Ordinal))
                {
                    acknowledged.Add((file, sopUid));
                }
            }

            (await archive.TerminateAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }

        acknowledged.Count.Should().BeGreaterThan(50, "most of pydicom's files are valid instances");
        await using (var restarted = await ArchiveProcess.StartAsync(root))
        {
            foreach (var (file, sopUid) in acknowledged)
            {
                var stored = StoredFiles.Find(restarted.StorageRoot, sopUid);
                stored.Should().NotBeNull($"{Path.GetFileName(file)} was acknowledged");
                (await StoredFiles.SameDataSetAsync(file, stored!)).Should().BeTrue($"{Path.GetFileName(file)} is stored as sent");
            }

            (await restarted.TerminateAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }

        var (code, stdout, _) = await RunVerbAsync(["verify", .. ArchiveProcess.DataArgs(root)]);
        code.Should().Be(0, stdout);
    }

    /// <summary>Stores every file on one association with our SCU; each must be answered success.</summary>
    internal static async Task StoreAllAsync(int port, IEnumerable<string> files)
    {
        await using var client = await ConnectAsync(port);
        foreach (var file in files)
        {
            (await client.StoreFileAsync(file)).Status!.Value.IsSuccess.Should().BeTrue(file);
        }

        await client.ReleaseAsync();
    }

    internal static Task<DicomClient> ConnectAsync(int port, params PresentationContextRequest[] extra)
    {
        var options = new DicomClientOptions { CalledAeTitle = "DICOMARCHIVE", CallingAeTitle = "TESTSCU", AssociationTimeout = TimeSpan.FromSeconds(10) };
        PresentationContextRequest[] contexts =
        [
            new(1, "1.2.840.10008.1.1", "1.2.840.10008.1.2"),
            new(3, TestInstances.CtImageStorage, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"),
            .. extra,
        ];
        return DicomClient.ConnectAsync("127.0.0.1", port, options, contexts);
    }

    internal static async Task<(int Code, string Stdout, string Stderr)> RunVerbAsync(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DicomArchiveCli.RunAsync(args, stdout, stderr);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return (code, stdout.ToString(), stderr.ToString());
    }
}
