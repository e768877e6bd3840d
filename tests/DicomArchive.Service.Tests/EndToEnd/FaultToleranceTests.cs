using System.Diagnostics;
using System.Net.Sockets;
using DicomArchive.Dicom.Network;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Service.Tests.Support;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Service.Tests.EndToEnd;

/// <summary>
/// Issue 10 faults against the real executable: a peer that aborts or vanishes in the middle of a C-STORE data set,
/// and an index database locked by another process. Each ends in a clear status or abort, nothing half-stored, and
/// the archive keeps serving.
/// </summary>
[NonParallelizable]
public sealed class FaultToleranceTests
{
    private string root = null!;

    [SetUp]
    public void SetUp() => root = TestInstances.NewTempFolder("faults");

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing on a slow machine: the temp folder is cleaned another time.
        }
    }

    [TestCase(true, TestName = "Store_PeerSendsAAbortMidDataSet_NoFileNoRowNoTempAndArchiveServes")]
    [TestCase(false, TestName = "Store_PeerClosesSocketMidDataSet_NoFileNoRowNoTempAndArchiveServes")]
    public async Task Store_PeerGoesAwayMidDataSet(bool sendAbort)
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 2);
        var (_, dataSet) = await StoredFiles.SplitAsync(files[0]);
        var sopUid = (await Dicom.Network.Client.DicomClient.ReadFileInfoAsync(files[0])).SopInstanceUid;
        await using var archive = await ArchiveProcess.StartAsync(root);

        using (var tcp = new TcpClient { NoDelay = true })
        {
            await tcp.ConnectAsync("127.0.0.1", archive.Port);
            var stream = tcp.GetStream();
            var rq = new AAssociateRq { CalledAeTitle = "DICOMARCHIVE", CallingAeTitle = "HALFWAY" };
            rq.PresentationContexts.Add(new PresentationContextRequest(1, TestInstances.CtImageStorage, "1.2.840.10008.1.2.1"));
            rq.UserInformation.MaximumLength = 16384;
            await stream.WriteAsync(rq.ToArray());
            var header = new byte[6];
            await stream.ReadExactlyAsync(header);
            header[0].Should().Be((byte)PduType.AAssociateAc);
            await stream.ReadExactlyAsync(new byte[(header[2] << 24) | (header[3] << 16) | (header[4] << 8) | header[5]]);

            var command = DimseCommand.CreateStoreRequest(1, TestInstances.CtImageStorage, sopUid);
            await stream.WriteAsync(new PDataTf(new PresentationDataValue(1, true, true, DimseCommandCodec.Encode(command))).ToArray());
            // Half of the data set, not the last fragment: the archive is mid-write when the peer goes.
            await stream.WriteAsync(new PDataTf(new PresentationDataValue(1, false, false, dataSet.AsMemory(0, dataSet.Length / 2))).ToArray());
            await Task.Delay(200);
            if (sendAbort)
            {
                await stream.WriteAsync(new AAbort(AbortSource.ServiceUser, AbortReason.NotSpecified).ToArray());
            }
        }

        // The association ends; the temporary file is removed with it.
        var temp = Path.Combine(archive.StorageRoot, ".tmp");
        var watch = Stopwatch.StartNew();
        while (Directory.Exists(temp) && Directory.EnumerateFiles(temp).Any() && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        (Directory.Exists(temp) ? Directory.GetFiles(temp) : []).Should().BeEmpty("no temporary file is left behind");
        StoredFiles.Find(archive.StorageRoot, sopUid).Should().BeNull();
        CountRows(archive.IndexPath, sopUid).Should().Be(0);

        await using var client = await StoreEndToEndTests.ConnectAsync(archive.Port);
        (await client.StoreFileAsync(files[1])).Status!.Value.IsSuccess.Should().BeTrue("the archive keeps serving");
        (await client.StoreFileAsync(files[0])).Status!.Value.IsSuccess.Should().BeTrue("the instance can be sent again");
        await client.ReleaseAsync();
        CountRows(archive.IndexPath, sopUid).Should().Be(1);
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task Store_IndexLockedByAnotherProcess_FailsWithA700AfterBoundedWaitNothingLeftThenSucceeds()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 2);
        var sopUid = (await Dicom.Network.Client.DicomClient.ReadFileInfoAsync(files[0])).SopInstanceUid;
        await using var archive = await ArchiveProcess.StartAsync(root);
        await using var client = await StoreEndToEndTests.ConnectAsync(archive.Port);

        DimseCommand response;
        var watch = Stopwatch.StartNew();
        await using (var locker = new SqliteConnection($"Data Source={archive.IndexPath};Pooling=False"))
        {
            await locker.OpenAsync();
            using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE;";
                await begin.ExecuteNonQueryAsync();
            }

            response = await client.StoreFileAsync(files[0]);
            using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        // The index's busy timeout (30 s) bounds the wait, well within the SCU's DIMSE timeout.
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(55));
        response.Status!.Value.Code.Should().BeOneOf((ushort)0xA700, (ushort)0x0110);
        StoredFiles.Find(archive.StorageRoot, sopUid).Should().BeNull("a failed store leaves no file");
        CountRows(archive.IndexPath, sopUid).Should().Be(0);
        archive.Output.Should().Contain(sopUid, "the failure is logged");

        (await client.StoreFileAsync(files[0])).Status!.Value.IsSuccess.Should().BeTrue("stores succeed again once the lock is gone");
        (await client.StoreFileAsync(files[1])).Status!.Value.IsSuccess.Should().BeTrue();
        await client.ReleaseAsync();
        CountRows(archive.IndexPath, sopUid).Should().Be(1);
    }

    /// <summary>
    /// The free space of the storage volume falls through Archive:MinimumFreeDiskBytes while the archive runs (a file
    /// of 800 MiB appears beside it), then comes back: 0xA700 with nothing stored in between, success before and after.
    /// The threshold sits 400 MiB below the free space at start, so other activity on the volume does not matter.
    /// </summary>
    [Test]
    public async Task Store_FreeSpaceFallsThroughThresholdWhileRunning_A700ThenAcceptedOnceSpaceReturns()
    {
        const long margin = 400L << 20;
        const long filler = 800L << 20;
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 3);
        var uids = new List<string>();
        foreach (var file in files)
        {
            uids.Add((await Dicom.Network.Client.DicomClient.ReadFileInfoAsync(file)).SopInstanceUid);
        }

        var free = new DriveInfo(root).AvailableFreeSpace;
        if (free < filler + margin + (1L << 30))
        {
            Assert.Ignore($"only {free >> 20} MiB free on the test volume");
        }

        var threshold = free - margin;
        await using var archive = await ArchiveProcess.StartAsync(root, null, "--Archive:MinimumFreeDiskBytes=" + threshold);
        await using var client = await StoreEndToEndTests.ConnectAsync(archive.Port);
        (await client.StoreFileAsync(files[0])).Status!.Value.IsSuccess.Should().BeTrue("there is room above the threshold");

        var fillerPath = Path.Combine(root, "filler.bin");
        await using (var stream = new FileStream(fillerPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, PreallocationSize = filler,
        }))
        {
            if (free - new DriveInfo(root).AvailableFreeSpace < filler / 2)
            {
                // No fallocate on this file system: write the bytes.
                var chunk = new byte[8 << 20];
                for (long written = 0; written < filler; written += chunk.Length)
                {
                    await stream.WriteAsync(chunk);
                }

                await stream.FlushAsync();
            }
        }

        try
        {
            new DriveInfo(root).AvailableFreeSpace.Should().BeLessThan(threshold, "the filler took the volume below the threshold");
            (await client.StoreFileAsync(files[1])).Status!.Value.Code.Should().Be(0xA700);
            StoredFiles.Find(archive.StorageRoot, uids[1]).Should().BeNull();
            CountRows(archive.IndexPath, uids[1]).Should().Be(0);
            (await client.EchoAsync()).IsSuccess.Should().BeTrue("the association lives on");
        }
        finally
        {
            File.Delete(fillerPath);
        }

        (await client.StoreFileAsync(files[1])).Status!.Value.IsSuccess.Should().BeTrue("space came back");
        (await client.StoreFileAsync(files[2])).Status!.Value.IsSuccess.Should().BeTrue();
        await client.ReleaseAsync();
        CountRows(archive.IndexPath, uids[1]).Should().Be(1);
    }

    private static long CountRows(string indexPath, string sopUid)
    {
        using var connection = new SqliteConnection($"Data Source={indexPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM instances WHERE sop_instance_uid = $uid";
        command.Parameters.AddWithValue("$uid", sopUid);
        return (long)command.ExecuteScalar()!;
    }
}
