using System.Globalization;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// Issue 4's "ingest rate does not degrade by more than 20% between an empty index and one of N instances": the MR
/// workload of the ingest rows (same files, same warm-up, one association, the same client) is sent to ours started on
/// an empty index and on a fresh copy of the bulk-loaded N-instance index, runs alternating between the two so the
/// machine's noise falls on both alike; for each variant of ours (durable as shipped, no fsync).
/// </summary>
public sealed class IndexIngestBenchmark(
    string workDirectory,
    IReadOnlyList<ArchiveSystem> variants,
    IStoreClient client,
    Workload workload,
    IReadOnlyList<string> warmUpFiles,
    LargeIndexTemplate index,
    int runs)
{
    private int sequence;

    public async Task RunAsync(SystemReport report, CancellationToken ct)
    {
        await index.BuildAsync(ct);
        var rows = variants.Select(v => (Variant: v, Row: new IndexIngest
        {
            System = v.Name, Workload = workload.Name, Client = client.Name, Associations = 1, IndexInstances = index.LoadedInstances,
        })).ToList();
        report.IndexIngests.AddRange(rows.Select(r => r.Row));
        var cpu = rows.ToDictionary(r => r.Row, _ => (Empty: new List<double>(), Large: new List<double>()));
        for (var run = 0; run < runs; run++)
        {
            foreach (var (variant, row) in rows)
            {
                foreach (var large in (bool[])[false, true])
                {
                    if (row.Status != "ok")
                    {
                        continue;
                    }

                    var (rate, cpuMs, error) = await MeasureAsync(variant, large, ct);
                    if (error is not null)
                    {
                        row.Status = "failed: " + error;
                    }
                    else
                    {
                        (large ? row.LargeInstancesPerSecond : row.EmptyInstancesPerSecond).Add(rate);
                        if (cpuMs is { } ms)
                        {
                            (large ? cpu[row].Large : cpu[row].Empty).Add(ms);
                        }
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {workload.Name} x1 {client.Name,-11} {variant.Name,-16} {(large ? $"{index.LoadedInstances:N0}-instance index" : "empty index"),-26} run {run + 1}: {rate,7:F0} inst/s  server CPU {cpuMs ?? 0:F2} ms/inst{(error is null ? "" : "  ERROR " + error)}"));
                }
            }
        }

        foreach (var (_, row) in rows)
        {
            row.EmptyCpuMillisecondsPerInstance = cpu[row].Empty.Count > 0 ? Stats.Median(cpu[row].Empty) : null;
            row.LargeCpuMillisecondsPerInstance = cpu[row].Large.Count > 0 ? Stats.Median(cpu[row].Large) : null;
        }

        report.ScaleSetup.Add(string.Create(CultureInfo.InvariantCulture,
            $"Ingest on a large index: the {workload.Name} workload ({workload.Files.Count} files, {workload.Bytes / 1e6:F1} MB) on one association with {client.Name}, after the same {warmUpFiles.Count}-instance warm-up as the ingest rows, into ours on an empty index and on a fresh copy of a {index.LoadedInstances:N0}-instance index (bulk-loaded through IndexBulkLoader in {index.BuildSeconds:F0} s, {index.IndexBytes / 1e6:F0} MB; rows only, no files, 100 instances per patient in 5 studies), {runs} runs each alternating; the copy is in the page cache. Server CPU per instance is utime+stime of the server over the timed send."));
    }

    private async Task<(double Rate, double? CpuMs, string? Error)> MeasureAsync(ArchiveSystem variant, bool large, CancellationToken ct)
    {
        var dataDirectory = Path.Combine(workDirectory, "index-ingest", (++sequence).ToString("D3", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dataDirectory);
        if (large)
        {
            index.CopyInto(dataDirectory);
        }

        try
        {
            await using var server = await variant.StartAsync(dataDirectory, ct);
            var warmUp = await client.SendAsync(server, warmUpFiles, 1, ct);
            if (warmUp.Failures > 0)
            {
                return (0, null, "warm-up failed: " + warmUp.Error);
            }

            var cpuBefore = server.Process.CpuSeconds();
            var result = await client.SendAsync(server, workload.Files, 1, ct);
            var cpuAfter = server.Process.CpuSeconds();
            var stored = await server.CountStoredAsync(ct);
            await server.Process.StopAsync(TimeSpan.FromSeconds(15));
            var rate = workload.Files.Count / result.Elapsed.TotalSeconds;
            double? cpuMs = cpuBefore is { } b && cpuAfter is { } a ? (a - b) * 1000 / workload.Files.Count : null;
            var expected = workload.Files.Count + warmUpFiles.Count;
            return result.Failures > 0 ? (rate, cpuMs, $"{result.Failures} client failures: {result.Error}")
                : stored is { } n && n != expected ? (rate, cpuMs, $"stored {n - warmUpFiles.Count} of {workload.Files.Count} sent")
                : (rate, cpuMs, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (0, null, ex.GetType().Name + ": " + ex.Message);
        }
        finally
        {
            // The index copy is one large file (no ext4 slow-down after deleting it); the stored files stay until
            // the verb deletes the work folder, as the ingest rows' do.
            LargeIndexTemplate.DeleteIndexCopy(dataDirectory);
        }
    }
}
