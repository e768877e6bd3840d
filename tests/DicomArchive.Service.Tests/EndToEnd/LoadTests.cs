using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Service.Tests.Support;

namespace DicomArchive.Service.Tests.EndToEnd;

/// <summary>
/// Issue 10 load and limits: 50 concurrent associations storing for a bounded time with zero errors and stable
/// resident memory, and the association limit answering a transient A-ASSOCIATE-RJ. The load duration is 15 s in the
/// suite; DICOMARCHIVE_LOAD_SECONDS=600 (for example) runs it longer (see docs/security.md).
/// </summary>
[NonParallelizable]
public sealed class LoadTests
{
    private const string UidPrefix = "1.2.826.0.1.3680043.10.77.";
    private const int UidDigits = 12;
    private string root = null!;

    [SetUp]
    public void SetUp() => root = TestInstances.NewTempFolder("load");

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

    private static TimeSpan LoadDuration =>
        int.TryParse(Environment.GetEnvironmentVariable("DICOMARCHIVE_LOAD_SECONDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromSeconds(15);

    [Test]
    [CancelAfter(900_000)]
    public async Task Store_FiftyConcurrentAssociationsForBoundedTime_ZeroErrorsEveryInstanceStoredMemoryStable()
    {
        const int workers = 50;
        var template = await TemplateAsync();
        await using var archive = await ArchiveProcess.StartAsync(root);
        var duration = LoadDuration;
        var errors = new ConcurrentQueue<string>();
        var acknowledged = 0;
        var next = 0L;
        var samples = new List<(TimeSpan At, long Rss)>();
        var watch = Stopwatch.StartNew();

        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                if (archive.ResidentBytes() is { } rss)
                {
                    lock (samples)
                    {
                        samples.Add((watch.Elapsed, rss));
                    }
                }

                try
                {
                    await Task.Delay(250, done.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        var tasks = Enumerable.Range(0, workers).Select(async _ =>
        {
            try
            {
                await using var client = await StoreEndToEndTests.ConnectAsync(archive.Port);
                while (watch.Elapsed < duration)
                {
                    var n = Interlocked.Increment(ref next);
                    var (uid, bytes) = WithUid(template, n);
                    var response = await client.StoreAsync(TestInstances.CtImageStorage, uid, "1.2.840.10008.1.2.1", new MemoryStream(bytes));
                    if (response.Status is { IsSuccess: true })
                    {
                        Interlocked.Increment(ref acknowledged);
                    }
                    else
                    {
                        errors.Enqueue($"{uid}: status {response.Status?.Code:X4}");
                    }
                }

                await client.ReleaseAsync();
            }
            catch (Exception ex) when (ex is IOException or DicomAssociationRejectedException or TimeoutException or InvalidOperationException
                or DicomArchive.Dicom.Network.DicomAbortException)
            {
                errors.Enqueue(ex.GetType().Name + ": " + ex.Message);
            }
        });
        await Task.WhenAll(tasks);
        await done.CancelAsync();
        await sampler;

        errors.Should().BeEmpty();
        acknowledged.Should().BeGreaterThan(workers, "every association stored something");
        Directory.GetFiles(archive.StorageRoot, "*.dcm", SearchOption.AllDirectories).Should().HaveCount(acknowledged);
        TestContext.Out.WriteLine($"{workers} associations, {duration.TotalSeconds:F0} s: {acknowledged} instances stored, " +
            $"{acknowledged / watch.Elapsed.TotalSeconds:F0}/s");
        if (samples.Count >= 8)
        {
            var half = watch.Elapsed / 2;
            var first = samples.Where(s => s.At < half).Max(s => s.Rss);
            var second = samples.Where(s => s.At >= half).Max(s => s.Rss);
            TestContext.Out.WriteLine($"VmRSS max first half {first / 1048576} MiB, second half {second / 1048576} MiB ({samples.Count} samples)");
            second.Should().BeLessThan((long)(first * 1.5) + (30L << 20), "resident memory stays bounded under steady load");
        }

        (await archive.TerminateAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        var (code, stdout, _) = await StoreEndToEndTests.RunVerbAsync(["verify", .. ArchiveProcess.DataArgs(root)]);
        code.Should().Be(0, stdout);
        stdout.Should().Contain($"checked {acknowledged} instances");
    }

    [Test]
    public async Task Associate_BeyondMaxAssociations_RejectedTransientLocalLimitExceededThenAcceptedAgain()
    {
        await using var archive = await ArchiveProcess.StartAsync(root, null, "--Archive:MaxAssociations=2");
        var first = await StoreEndToEndTests.ConnectAsync(archive.Port);
        await using var second = await StoreEndToEndTests.ConnectAsync(archive.Port);

        var act = () => StoreEndToEndTests.ConnectAsync(archive.Port);

        // PS3.8 9.3.4 Table 9-21: result 2 (rejected-transient), source 3 (service-provider, presentation), reason 2 (local limit exceeded).
        var rejected = (await act.Should().ThrowAsync<DicomAssociationRejectedException>()).Which;
        rejected.Result.Should().Be(AssociateRejectResult.RejectedTransient);
        rejected.Source.Should().Be(AssociateRejectSource.ServiceProviderPresentation);
        rejected.Reason.Should().Be(2);
        (await second.EchoAsync()).IsSuccess.Should().BeTrue("the running associations are unaffected");

        await first.ReleaseAsync();
        await first.DisposeAsync();
        DicomClient? again = null;
        for (var i = 0; i < 50 && again is null; i++)
        {
            try
            {
                again = await StoreEndToEndTests.ConnectAsync(archive.Port);
            }
            catch (DicomAssociationRejectedException)
            {
                await Task.Delay(100);
            }
        }

        again.Should().NotBeNull("a slot is free once an association ends");
        await again!.ReleaseAsync();
        await again.DisposeAsync();
        await second.ReleaseAsync();
    }

    /// <summary>The data set bytes of one CT instance whose SOP Instance UID has a fixed-length numeric tail to patch.</summary>
    private async Task<byte[]> TemplateAsync()
    {
        var uid = UidPrefix + new string('0', UidDigits);
        var path = await TestInstances.SaveAsync(Path.Combine(root, "in"),
            TestInstances.Ct(uid, "1.2.826.0.1.3680043.10.77.1", "1.2.826.0.1.3680043.10.77.1.1", pixelBytes: 8192));
        return (await StoredFiles.SplitAsync(path)).DataSet;
    }

    private static (string Uid, byte[] Bytes) WithUid(byte[] template, long n)
    {
        var uid = UidPrefix + n.ToString(CultureInfo.InvariantCulture).PadLeft(UidDigits, '0');
        var bytes = (byte[])template.Clone();
        var marker = Encoding.ASCII.GetBytes(UidPrefix + new string('0', UidDigits));
        var at = bytes.AsSpan().IndexOf(marker);
        Encoding.ASCII.GetBytes(uid).CopyTo(bytes.AsSpan(at));
        return (uid, bytes);
    }
}
