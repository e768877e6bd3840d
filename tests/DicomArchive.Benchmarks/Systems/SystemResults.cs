namespace DicomArchive.Benchmarks.Systems;

/// <summary>One timed ingest run against a freshly started system.</summary>
public sealed record RunSample(
    double Seconds, double InstancesPerSecond, double MegabytesPerSecond, int Sent, int? Stored, long? PeakResidentBytes, string? Error);

/// <summary>The runs of one system for one workload, association count and client, with their median, min and max.</summary>
public sealed class Measurement
{
    public required string Workload { get; init; }

    public required int Associations { get; init; }

    public required string Client { get; init; }

    public required string System { get; init; }

    public bool IsOurs { get; init; }

    public List<RunSample> Runs { get; } = [];

    /// <summary>"ok", "failed: ..." or "skipped (...)".</summary>
    public string Status { get; set; } = "ok";

    public bool Ok => Status == "ok" && Runs.Count > 0;

    public double MedianInstancesPerSecond => Median(Runs.Select(r => r.InstancesPerSecond));

    public double MinInstancesPerSecond => Runs.Count == 0 ? 0 : Runs.Min(r => r.InstancesPerSecond);

    public double MaxInstancesPerSecond => Runs.Count == 0 ? 0 : Runs.Max(r => r.InstancesPerSecond);

    public double MedianMegabytesPerSecond => Median(Runs.Select(r => r.MegabytesPerSecond));

    /// <summary>The highest peak resident set size of the server over the runs, in MB.</summary>
    public double? PeakResidentMegabytes => Runs.Any(r => r.PeakResidentBytes is not null)
        ? Runs.Max(r => r.PeakResidentBytes ?? 0) / 1048576.0
        : null;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>Our median over a peer's median, same workload, associations and client, same run of the harness.</summary>
public sealed record Ratio(string Workload, int Associations, string Client, string Ours, string Peer, double Value);

/// <summary>A system as the report lists it.</summary>
public sealed record SystemInfo(string Name, string Description, string Version, string Status);

/// <summary>A corpus workload: its files and their total size.</summary>
public sealed record WorkloadInfo(string Name, string Description, int Count, long Bytes);

/// <summary>Everything one run of the <c>system</c> verb measured, serialised as the JSON output.</summary>
public sealed class SystemReport
{
    public required string Mode { get; init; }

    public required string Command { get; init; }

    public required DateTimeOffset Date { get; init; }

    public required string Machine { get; init; }

    public required string Network { get; init; }

    public required int RunsPerMeasurement { get; init; }

    public List<string> Notes { get; } = [];

    public List<WorkloadInfo> Workloads { get; } = [];

    public List<SystemInfo> Systems { get; } = [];

    public List<Measurement> Measurements { get; } = [];

    public List<Ratio> Ratios { get; } = [];

    /// <summary>C-FIND latency per query type and system (empty when the query/retrieve part did not run).</summary>
    public List<FindLatency> FindLatencies { get; } = [];

    /// <summary>C-MOVE / C-GET throughput per system and destination, with the storescu baseline.</summary>
    public List<RetrieveThroughput> Retrieves { get; } = [];

    /// <summary>The query/retrieve corpus and settings, as the report describes them.</summary>
    public List<string> QueryRetrieveSetup { get; } = [];

    /// <summary>Issue 4: peak memory while several associations each store a large multi-frame object.</summary>
    public List<LargeObjectMemory> LargeObjects { get; } = [];

    /// <summary>Issue 4: ingest rate on an empty index against a bulk-loaded large one.</summary>
    public List<IndexIngest> IndexIngests { get; } = [];

    /// <summary>Issue 5: start-up time, process start to a successful association and C-ECHO.</summary>
    public List<StartupTime> Startups { get; } = [];

    /// <summary>How the scale measures (large objects, large index, start-up) were set up, as the report describes them.</summary>
    public List<string> ScaleSetup { get; } = [];

    /// <summary>Measures of issue 5 the harness does not take yet.</summary>
    public List<string> NotYet { get; } = [];

    /// <summary>Fills <see cref="Ratios"/>: every ours row against every peer row of the same workload, associations and client.</summary>
    public void ComputeRatios()
    {
        Ratios.Clear();
        foreach (var ours in Measurements.Where(m => m.IsOurs && m.Ok))
        {
            foreach (var peer in Measurements.Where(m => !m.IsOurs && m.Ok && m.Workload == ours.Workload
                && m.Associations == ours.Associations && m.Client == ours.Client))
            {
                Ratios.Add(new Ratio(ours.Workload, ours.Associations, ours.Client, ours.System, peer.System,
                    ours.MedianInstancesPerSecond / peer.MedianInstancesPerSecond));
            }
        }
    }
}
