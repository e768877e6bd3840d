using System.Diagnostics;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Dicom.Network.Tests.Server;

namespace DicomArchive.Dicom.Network.Tests.Interop;

[Category("Interop")]
[CancelAfter(120_000)]
public sealed class DcmtkInteropTests
{
    const string PydicomTestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    static readonly string[] PlainFiles = ["CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "rtdose.dcm", "rtstruct.dcm", "MR_small_implicit.dcm"];

    [Test]
    public async Task Echoscu_AgainstOurServer_ExitsZero()
    {
        DcmtkTool.Require("echoscu");
        await using DicomServer server = await ServerFixture.StartAsync();

        var (exit, output) = await DcmtkTool.RunAsync(TimeSpan.FromSeconds(30), "echoscu", "-aet", "ECHOSCU", "-aec", ServerFixture.AeTitle,
            "127.0.0.1", server.Port().ToString(System.Globalization.CultureInfo.InvariantCulture));

        exit.Should().Be(0, output);
    }

    [Test]
    public async Task Echoscu_ManyContextsAndSyntaxesRepeated_ExitsZero()
    {
        DcmtkTool.Require("echoscu");
        await using DicomServer server = await ServerFixture.StartAsync();

        var (exit, output) = await DcmtkTool.RunAsync(TimeSpan.FromSeconds(30), "echoscu", "-aec", ServerFixture.AeTitle,
            "--propose-pc", "128", "--propose-ts", "38", "--repeat", "5",
            "127.0.0.1", server.Port().ToString(System.Globalization.CultureInfo.InvariantCulture));

        exit.Should().Be(0, output);
    }

    [Test]
    public async Task Echoscu_WrongCalledAe_IsRejected()
    {
        DcmtkTool.Require("echoscu");
        await using DicomServer server = await ServerFixture.StartAsync();

        var (exit, output) = await DcmtkTool.RunAsync(TimeSpan.FromSeconds(30), "echoscu", "-aec", "NOTUS",
            "127.0.0.1", server.Port().ToString(System.Globalization.CultureInfo.InvariantCulture));

        exit.Should().NotBe(0);
        output.Should().ContainEquivalentOf("Called AE Title Not Recognized");
    }

    [Test]
    public async Task Storescu_AgainstOurServer_StoresEveryFileItSends()
    {
        DcmtkTool.Require("storescu");
        DcmtkTool.Require("dcmdump");
        string[] files = PlainFiles.Select(f => Path.Combine(PydicomTestFiles, f)).Where(File.Exists).ToArray();
        if (files.Length == 0)
        {
            Assert.Ignore("No pydicom test files");
        }

        var sink = new RecordingStoreHandler(keep: false);
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Store = sink });

        var (exit, output) = await DcmtkTool.RunAsync(TimeSpan.FromSeconds(60), "storescu", ["-R", "-aec", ServerFixture.AeTitle,
            "127.0.0.1", server.Port().ToString(System.Globalization.CultureInfo.InvariantCulture), .. files]);

        exit.Should().Be(0, output);
        sink.Received.Should().NotBeEmpty();
    }

    [Test]
    public async Task OurClient_AgainstStorescp_EchoAndStoreBytesIdentical()
    {
        DcmtkTool.Require("storescp");
        DcmtkTool.Require("dcmdump");
        List<(string Path, string SopClass, string SopInstance, string TransferSyntax)> files = [];
        foreach (string path in await ValidFilesAsync())
        {
            try
            {
                var info = await DicomClient.ReadFileInfoAsync(path);
                if (info.SopClassUid.Length == 0 || info.SopInstanceUid.Length == 0)
                {
                    continue;
                }

                // pydicom's deflated sample has 8 bytes after the end of its deflate stream, which storescp rejects
                // with an A-ABORT (DCMTK's own storescu re-encodes the data set, so never sends them).
                if (info.TransferSyntaxUid != "1.2.840.10008.1.2.1.99")
                {
                    files.Add((path, info.SopClassUid, info.SopInstanceUid, info.TransferSyntaxUid));
                }
            }
            catch (DicomContentException)
            {
                // Not a Part 10 file (no meta header): nothing to send as is.
            }
        }

        if (files.Count == 0)
        {
            Assert.Ignore("No pydicom test files");
        }

        string outputDir = Directory.CreateTempSubdirectory("storescp-").FullName;
        int port = DcmtkTool.FreePort();
        using Process storescp = DcmtkTool.Start("storescp", "-v", "+xa", "+B", "-aet", "STORESCP", "-od", outputDir,
            port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            await DcmtkTool.WaitForListenerAsync(port, TimeSpan.FromSeconds(20));

            // One context per distinct (SOP class, transfer syntax), at most 127 plus Verification.
            var contexts = new List<PresentationContextRequest>
            {
                new(1, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian),
            };
            foreach (var group in files.GroupBy(f => (f.SopClass, f.TransferSyntax)).Take(127))
            {
                contexts.Add(new PresentationContextRequest((byte)((contexts.Count * 2) + 1), group.Key.SopClass, group.Key.TransferSyntax));
            }

            var options = ServerFixture.ClientOptions(called: "STORESCP", calling: "OURSCU");
            await using DicomClient client = await DicomClient.ConnectAsync("127.0.0.1", port, options, contexts);
            (await client.EchoAsync()).Should().Be(DimseStatus.Success);

            var stored = new List<(string Path, string SopInstance)>();
            var instances = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                // Several samples share a SOP Instance UID and storescp names files by it: send each instance once.
                if (client.FindContext(file.SopClass, file.TransferSyntax) is null || !instances.Add(file.SopInstance))
                {
                    continue;
                }

                DimseCommand response;
                try
                {
                    response = await client.StoreFileAsync(file.Path);
                }
                catch (DicomAbortException ex)
                {
                    storescp.Kill(entireProcessTree: true);
                    Assert.Fail($"Storing {Path.GetFileName(file.Path)} ({file.TransferSyntax}) failed: {ex.Message}\n"
                        + await storescp.StandardOutput.ReadToEndAsync() + await storescp.StandardError.ReadToEndAsync());
                    throw;
                }

                if (response.Status is { IsFailure: false })
                {
                    stored.Add((file.Path, file.SopInstance));
                }
            }

            await client.ReleaseAsync();

            stored.Count.Should().BeGreaterThan(5);
            var mismatches = new List<string>();
            foreach (var (path, sopInstance) in stored)
            {
                string? received = Directory.EnumerateFiles(outputDir).FirstOrDefault(f => f.EndsWith("." + sopInstance, StringComparison.Ordinal));
                received.Should().NotBeNull($"storescp should have written {sopInstance} from {Path.GetFileName(path)}");
                byte[] got = await DataSetBytesAsync(received!);
                byte[] sent = await DataSetBytesAsync(path);
                if (!got.AsSpan().SequenceEqual(sent))
                {
                    mismatches.Add($"{Path.GetFileName(path)} at {got.AsSpan().CommonPrefixLength(sent)} of {sent.Length}");
                }
            }

            mismatches.Should().BeEmpty();
        }
        finally
        {
            storescp.Kill(entireProcessTree: true);
            await storescp.WaitForExitAsync();
            Directory.Delete(outputDir, recursive: true);
        }
    }

    [Test]
    public async Task OurClient_ToOurServer_PydicomFilesArriveByteIdentical()
    {
        DcmtkTool.Require("dcmdump");
        var files = new List<(string Path, string SopClass, string SopInstance, string TransferSyntax)>();
        foreach (string path in await ValidFilesAsync())
        {
            try
            {
                var info = await DicomClient.ReadFileInfoAsync(path);
                if (info.SopClassUid.Length == 0 || info.SopInstanceUid.Length == 0)
                {
                    continue;
                }

                files.Add((path, info.SopClassUid, info.SopInstanceUid, info.TransferSyntaxUid));
            }
            catch (DicomContentException)
            {
            }
        }

        if (files.Count == 0)
        {
            Assert.Ignore("No pydicom test files");
        }

        var sink = new RecordingStoreHandler();
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Store = sink }, o => o.MaxPduLength = 16384);
        var contexts = files.Select(f => (f.SopClass, f.TransferSyntax)).Distinct().Take(128)
            .Select((c, i) => new PresentationContextRequest((byte)((2 * i) + 1), c.SopClass, c.TransferSyntax)).ToList();
        await using DicomClient client = await ServerFixture.ConnectAsync(server, contexts);
        int sent = 0;
        foreach (var file in files)
        {
            if (client.FindContext(file.SopClass, file.TransferSyntax) is null)
            {
                continue;
            }

            (await client.StoreFileAsync(file.Path)).Status.Should().Be(DimseStatus.Success);
            sink.Received[file.SopInstance].Should().Equal(await DataSetBytesAsync(file.Path), Path.GetFileName(file.Path));
            sent++;
        }

        await client.ReleaseAsync();
        sent.Should().BeGreaterThan(10);
    }

    /// <summary>The pydicom test files that DCMTK itself reads without error (truncated samples are left out).</summary>
    static async Task<List<string>> ValidFilesAsync()
    {
        var valid = new List<string>();
        if (!Directory.Exists(PydicomTestFiles))
        {
            return valid;
        }

        foreach (string path in Directory.EnumerateFiles(PydicomTestFiles, "*.dcm").Order(StringComparer.Ordinal))
        {
            var (exit, _) = await DcmtkTool.RunAsync(TimeSpan.FromSeconds(30), "dcmdump", "-q", path);
            if (exit == 0)
            {
                valid.Add(path);
            }
        }

        return valid;
    }

    static async Task<byte[]> DataSetBytesAsync(string path)
    {
        await using FileStream file = File.OpenRead(path);
        await DicomArchive.Dicom.Network.Client.Part10Header.ReadAsync(file, CancellationToken.None);
        var rest = new MemoryStream();
        await file.CopyToAsync(rest);
        return rest.ToArray();
    }
}
