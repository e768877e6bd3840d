using System.Diagnostics;
using System.Globalization;
using DicomArchive.Dicom.Network;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Items;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// Issue 5's start-up time: from the process start until an association with a C-ECHO succeeds (our DicomClient,
/// retried every 10 ms), for ours on an empty store, on the bulk-loaded N-instance index, and on that index with one
/// empty placeholder file per instance (start-up recovery walks the storage folder); Orthanc on an empty store for
/// reference. Each is started <c>runs</c> times (median, min-max); the index is a fresh copy each time.
/// </summary>
public sealed class StartupBenchmark(string workDirectory, string publishDirectory, LargeIndexTemplate? index, bool withFiles, bool includeOrthanc, int runs)
{
    public async Task RunAsync(SystemReport report, CancellationToken ct)
    {
        var ours = new ArchiveSystem(publishDirectory, "ours (durable)", "this archive as shipped", []);
        var rows = new List<(StartupTime Row, BenchmarkSystem System, Func<int, string> Prepare)>
        {
            (new StartupTime { System = ours.Name, IsOurs = true, Store = "empty" }, ours, run => Fresh("empty", run)),
        };
        if (index is not null)
        {
            await index.BuildAsync(ct);
            var label = string.Create(CultureInfo.InvariantCulture, $"{index.LoadedInstances:N0}-instance index, no files");
            rows.Add((new StartupTime { System = ours.Name, IsOurs = true, Store = label }, ours, run =>
            {
                var data = Fresh("index", run);
                index.CopyInto(data);
                return data;
            }));
            if (withFiles)
            {
                // One folder for every run: the placeholder files are created once and only read at start-up.
                var data = Path.Combine(workDirectory, "startup", "index-files");
                index.CreatePlaceholderFiles(Path.Combine(data, "storage"), ct);
                rows.Add((new StartupTime
                {
                    System = ours.Name, IsOurs = true,
                    Store = string.Create(CultureInfo.InvariantCulture, $"{index.LoadedInstances:N0}-instance index + {index.LoadedInstances:N0} (empty) files"),
                }, ours, _ =>
                {
                    index.CopyInto(data);
                    return data;
                }));
            }
        }

        var orthanc = new OrthancSystem();
        if (includeOrthanc && orthanc.Unavailable() is null)
        {
            rows.Add((new StartupTime { System = orthanc.Name, Store = "empty" }, orthanc, run => Fresh("orthanc", run)));
        }

        report.Startups.AddRange(rows.Select(r => r.Row));
        for (var run = 0; run < runs; run++)
        {
            foreach (var (row, system, prepare) in rows)
            {
                if (row.Status != "ok")
                {
                    continue;
                }

                try
                {
                    var seconds = await MeasureAsync(system, prepare(run), ct);
                    row.Seconds.Add(seconds);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  start-up {row.System,-16} {row.Store,-50} run {run + 1}: {seconds:F2} s"));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    row.Status = "failed: " + ex.GetType().Name + ": " + ex.Message;
                    Console.WriteLine($"  start-up {row.System} {row.Store}: {row.Status}");
                }
            }
        }

        report.ScaleSetup.Add(string.Create(CultureInfo.InvariantCulture,
            $"Start-up: time from the process start (fork/exec of the server) until an A-ASSOCIATE and a C-ECHO on it succeed (our DicomClient, the connection retried every 20 ms until the port accepts, then the association), {runs} starts each, median (min-max). The index is a fresh copy of the bulk-loaded one for each start, so it is in the page cache; the placeholder files are empty, so recovery's walk lists them and finds each indexed without reading it."));
    }

    private string Fresh(string label, int run)
    {
        var data = Path.Combine(workDirectory, "startup", label + "-" + run.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(data);
        return data;
    }

    private static async Task<double> MeasureAsync(BenchmarkSystem system, string dataDirectory, CancellationToken ct)
    {
        await using var server = await system.StartAsync(dataDirectory, ct);
        try
        {
            // StartAsync returns once the DICOM port accepts a TCP connection (Orthanc: also its HTTP port); the first
            // association may still wait for the service behind the listener, so it is retried until its C-ECHO succeeds.
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    await EchoAsync(server, ct);
                    return Stopwatch.GetElapsedTime(server.Process.StartTimestamp).TotalSeconds;
                }
                catch (Exception ex) when (ex is not OperationCanceledException && deadline.Elapsed < TimeSpan.FromSeconds(120))
                {
                    await Task.Delay(10, ct);
                }
            }
        }
        finally
        {
            await server.Process.StopAsync(TimeSpan.FromSeconds(15));
        }
    }

    private static async Task EchoAsync(RunningServer server, CancellationToken ct)
    {
        var options = new DicomClientOptions { CalledAeTitle = server.CalledAeTitle, CallingAeTitle = "BENCHSCU", MaxPduLength = 16384 };
        PresentationContextRequest[] contexts = [new(1, DicomNetworkUids.Verification, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2")];
        await using var client = await DicomClient.ConnectAsync("127.0.0.1", server.Port, options, contexts, cancellationToken: ct);
        var status = await client.EchoAsync(ct);
        if (!status.IsSuccess)
        {
            throw new InvalidOperationException($"C-ECHO status {status}");
        }

        await client.ReleaseAsync(ct);
    }
}
