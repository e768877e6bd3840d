using System.Globalization;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>A workload: the files to send and a name for the report.</summary>
public sealed record Workload(string Name, string Description, IReadOnlyList<string> Files)
{
    public long Bytes { get; } = Files.Sum(f => new FileInfo(f).Length);
}

/// <summary>
/// Runs the ingest measurements: for every workload, association count and client, each run starts every system
/// afresh with an empty store (round-robin across systems, so the machine's noise spreads over all of them), sends
/// the same warm-up set untimed, then times the workload, checks the stored count and reads the server's peak RSS.
/// </summary>
public sealed class SystemBenchmark(
    string workDirectory,
    IReadOnlyList<BenchmarkSystem> systems,
    IReadOnlyList<IStoreClient> clients,
    IReadOnlyList<Workload> workloads,
    IReadOnlyList<string> warmUpFiles,
    IReadOnlyList<int> associationCounts,
    int runs)
{
    /// <summary>Run folders are kept (see <see cref="MeasureAsync"/>) until they hold about this much.</summary>
    private const long KeptBytesBudget = 16L << 30;

    /// <summary>
    /// ext4 without a journal skips inodes freed in the last 60 s, or 300 s while their inode table block is still
    /// dirty (fs/ext4/ialloc.c, RECENTCY_MIN / RECENTCY_DIRTY); after a clean-up the folders are synced, so the
    /// shorter window applies, and this waits it out.
    /// </summary>
    private static readonly TimeSpan RecentlyDeletedWindow = TimeSpan.FromSeconds(65);

    private long keptBytes;

    public async Task RunAsync(SystemReport report, CancellationToken ct)
    {
        var available = systems.Where(s => s.Unavailable() is null).ToList();
        var usableClients = clients.Where(c => c.Unavailable() is null).ToList();
        foreach (var client in clients.Where(c => c.Unavailable() is not null))
        {
            report.Notes.Add($"client {client.Name} skipped: {client.Unavailable()}");
        }

        var sequence = 0;
        foreach (var workload in workloads)
        {
            foreach (var associations in associationCounts)
            {
                foreach (var client in usableClients)
                {
                    var rows = systems.Select(s => new Measurement
                    {
                        Workload = workload.Name, Associations = associations, Client = client.Name, System = s.Name, IsOurs = s.IsOurs,
                        Status = s.Unavailable() ?? "ok",
                    }).ToList();
                    report.Measurements.AddRange(rows);
                    for (var run = 0; run < runs; run++)
                    {
                        foreach (var system in available)
                        {
                            var row = rows.Single(r => r.System == system.Name);
                            if (!row.Ok && row.Runs.Count > 0)
                            {
                                continue; // a failed row is not run again
                            }

                            if (keptBytes > KeptBytesBudget)
                            {
                                await CleanUpRunsAsync(ct);
                            }

                            var sample = await MeasureAsync(system, client, workload, associations, ++sequence, ct);
                            keptBytes += workload.Bytes;
                            row.Runs.Add(sample);
                            if (sample.Error is not null)
                            {
                                row.Status = "failed: " + sample.Error;
                            }

                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"  {workload.Name,-3} x{associations,-2} {client.Name,-11} {system.Name,-22} run {run + 1}: {sample.InstancesPerSecond,8:F0} inst/s {sample.MegabytesPerSecond,7:F1} MB/s  stored {sample.Stored?.ToString(CultureInfo.InvariantCulture) ?? "n/a"}/{sample.Sent}  peak RSS {(sample.PeakResidentBytes ?? 0) / 1048576.0:F0} MB{(sample.Error is null ? "" : "  ERROR " + sample.Error)}"));
                        }
                    }
                }
            }
        }

        report.ComputeRatios();
    }

    private async Task CleanUpRunsAsync(CancellationToken ct)
    {
        Console.WriteLine($"  deleting {keptBytes / 1e9:F1} GB of finished runs, then waiting {RecentlyDeletedWindow.TotalSeconds:F0} s (ext4 recently_deleted)");
        try
        {
            Directory.Delete(Path.Combine(workDirectory, "runs"), recursive: true);
        }
        catch (IOException)
        {
        }

        keptBytes = 0;

        // The deleted inodes' table blocks to disk: a clean block makes the allocator's window 60 s, not 300 s. With
        // 40 s and no sync, the rows right after a clean-up ran up to a third slower (2026-12-06, "Fourth pass"),
        // and ours, first in every round, most often.
        FileSystemSync.SyncAll();
        await Task.Delay(RecentlyDeletedWindow, ct);
    }

    private async Task<RunSample> MeasureAsync(BenchmarkSystem system, IStoreClient client, Workload workload, int associations, int sequence,
        CancellationToken ct)
    {
        var dataDirectory = Path.Combine(workDirectory, "runs", sequence.ToString("D4", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dataDirectory);
        // Not deleted now: on ext4 without a journal (this VM's root file system) the inode allocator skips inodes
        // freed in the last 5-35 s (recently_deleted), scanning the inode table for each new file; deleting a
        // run's thousands of files right before the next run made file creation the server's main cost (half of
        // its CPU in ext4_create) for whichever system came next. The verb deletes the work folder at the end.
        try
        {
            await using var server = await system.StartAsync(dataDirectory, ct);
            var warmUp = await client.SendAsync(server, warmUpFiles, 1, ct);
            if (warmUp.Failures > 0)
            {
                return new RunSample(0, 0, 0, workload.Files.Count, null, server.Process.PeakResidentBytes(), "warm-up failed: " + warmUp.Error);
            }

            var result = await client.SendAsync(server, workload.Files, associations, ct);
            var seconds = result.Elapsed.TotalSeconds;
            var stored = await server.CountStoredAsync(ct);
            var peak = server.Process.PeakResidentBytes();
            await server.Process.StopAsync(TimeSpan.FromSeconds(15));
            var expected = workload.Files.Count + warmUpFiles.Count;
            string? error = result.Failures > 0 ? $"{result.Failures} client failures: {result.Error}"
                : stored is { } n && n != expected ? $"stored {n - warmUpFiles.Count} of {workload.Files.Count} sent"
                : null;
            return new RunSample(seconds, workload.Files.Count / seconds, workload.Bytes / 1e6 / seconds, workload.Files.Count,
                stored is { } s ? s - warmUpFiles.Count : null, peak, error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new RunSample(0, 0, 0, workload.Files.Count, null, null, ex.GetType().Name + ": " + ex.Message);
        }
    }

}
