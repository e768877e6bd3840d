using System.Globalization;
using DicomArchive.Benchmarks.Corpus;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// Issue 4's memory row: "under 250 MB resident while 8 associations each store a 1 GB multi-frame object". Writes
/// <c>associations</c> multi-frame objects of <c>objectBytes</c> pixel data with our writer (same patient and study,
/// each its own SOP Instance UID), then for each system starts it with an empty store, sends the usual warm-up, and
/// sends the objects at once, one per association, while sampling the server's resident set (VmRSS of the process
/// tree every 100 ms; VmHWM at the end). Every object must arrive whole (a stored file of at least the sent size
/// less 1 KB: the archive may rewrite the file meta information). Each run's data is deleted after it.
/// </summary>
public sealed class LargeObjectBenchmark(
    string workDirectory,
    IReadOnlyList<BenchmarkSystem> systems,
    IStoreClient client,
    IReadOnlyList<string> warmUpFiles,
    int associations,
    long objectBytes,
    int runs)
{
    public async Task RunAsync(SystemReport report, CancellationToken ct)
    {
        var files = await GenerateAsync(ct);
        var fileBytes = files.Sum(f => new FileInfo(f).Length);
        var rows = systems.Select(s => (System: s, Row: new LargeObjectMemory
        {
            System = s.Name, IsOurs = s.IsOurs, Client = client.Name, Associations = associations, ObjectBytes = fileBytes / files.Count,
            Status = s.Unavailable() ?? "ok",
        })).ToList();
        report.LargeObjects.AddRange(rows.Select(r => r.Row));
        for (var run = 0; run < runs; run++)
        {
            foreach (var (system, row) in rows)
            {
                if (row.Status != "ok")
                {
                    continue;
                }

                var sample = await MeasureAsync(system, files, fileBytes, run, ct);
                row.Runs.Add(sample);
                if (sample.Error is not null)
                {
                    row.Status = "failed: " + sample.Error;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {associations} x {fileBytes / files.Count / 1e9:F2} GB {client.Name,-11} {system.Name,-16} run {run + 1}: {sample.Seconds,6:F1} s {sample.MegabytesPerSecond,6:F0} MB/s  peak RSS {sample.PeakSampledBytes / 1048576.0:F0} MB (VmHWM {(sample.PeakHighWaterBytes ?? 0) / 1048576.0:F0} MB)  stored {sample.Stored}/{files.Count}{(sample.Error is null ? "" : "  ERROR " + sample.Error)}"));
            }
        }

        report.ScaleSetup.Add(string.Create(CultureInfo.InvariantCulture,
            $"Large objects: {files.Count} Multi-frame Grayscale Word Secondary Capture objects of {fileBytes / files.Count / 1e6:F0} MB each (512x512x16-bit frames, explicit VR little endian, written by our writer, each its own SOP Instance UID), sent at once on {associations} associations by {client.Name} (one object per association), after the usual warm-up; peak RSS is the highest VmRSS of the server's process tree sampled every 100 ms (storescp: the forked children included) or the server's own VmHWM if higher; time from the first association to the last response; {runs} run(s) per system, each on an empty store deleted after the run."));
    }

    private async Task<List<string>> GenerateAsync(CancellationToken ct)
    {
        var directory = Path.Combine(workDirectory, "multiframe");
        Directory.CreateDirectory(directory);
        var options = new CorpusOptions { Patients = 1, StudiesPerPatient = 1, SeriesPerStudy = 1, Seed = new CorpusOptions().Seed + 4 };
        var random = new Random(options.Seed);
        var uids = new CorpusUidGenerator(random);
        var placement = CorpusLayout.Place(CorpusLayout.Create(options, random, uids), 0, 1, mr: false);
        var files = new List<string>();
        for (var i = 0; i < associations; i++)
        {
            var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"multiframe-{objectBytes >> 20}MiB-{i:D2}.dcm"));
            if (!File.Exists(path))
            {
                Console.WriteLine($"  writing {path} ({objectBytes / 1e6:F0} MB) ...");
                await MultiFrameWriter.WriteAsync(path, objectBytes, placement with { InstanceNumber = i + 1 }, random, uids, ct);
            }

            files.Add(path);
        }

        return files;
    }

    private async Task<LargeObjectRun> MeasureAsync(BenchmarkSystem system, List<string> files, long fileBytes, int run, CancellationToken ct)
    {
        var dataDirectory = Path.Combine(workDirectory, "large-objects", $"{Slug(system.Name)}-{run}");
        Directory.CreateDirectory(dataDirectory);
        var free = new DriveInfo(dataDirectory).AvailableFreeSpace;
        if (free < fileBytes + (4L << 30))
        {
            return new LargeObjectRun(0, 0, 0, null, 0, 0, string.Create(CultureInfo.InvariantCulture,
                $"not enough free disk ({free / 1e9:F1} GB free, {fileBytes / 1e9:F1} GB + 4 GB needed)"));
        }

        try
        {
            await using var server = await system.StartAsync(dataDirectory, ct);
            var warmUp = await client.SendAsync(server, warmUpFiles, 1, ct);
            if (warmUp.Failures > 0)
            {
                return new LargeObjectRun(0, 0, 0, null, 0, 0, "warm-up failed: " + warmUp.Error);
            }

            ClientResult result;
            long sampled;
            await using (var sampler = new ResidentSetSampler(server.Process.Id, TimeSpan.FromMilliseconds(100)))
            {
                result = await client.SendAsync(server, files, files.Count, ct);
                await Task.Delay(200, ct); // one more sample after the last response
                sampled = sampler.PeakBytes;
            }

            var highWater = ResidentSetSampler.StatusBytes(server.Process.Id, "VmHWM");
            await server.Process.StopAsync(TimeSpan.FromSeconds(30));
            var minimum = fileBytes / files.Count - 1024;
            var stored = Directory.Exists(Path.Combine(dataDirectory, "storage"))
                ? Directory.EnumerateFiles(Path.Combine(dataDirectory, "storage"), "*", SearchOption.AllDirectories)
                    .Select(f => new FileInfo(f).Length).Where(l => l >= minimum).ToList()
                : [];
            var seconds = result.Elapsed.TotalSeconds;
            var error = result.Failures > 0 ? $"{result.Failures} client failures: {result.Error}"
                : stored.Count != files.Count ? $"{stored.Count} of {files.Count} objects stored whole"
                : null;
            return new LargeObjectRun(seconds, fileBytes / 1e6 / seconds, sampled, highWater, stored.Count, stored.Sum(), error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new LargeObjectRun(0, 0, 0, null, 0, 0, ex.GetType().Name + ": " + ex.Message);
        }
        finally
        {
            // 8 large files: deleting them frees the disk without ext4's many-small-files slow-down.
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Slug(string name) => new([.. name.Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
}
