namespace DicomArchive.Benchmarks.Systems;

/// <summary>Median, minimum and maximum of a few samples, as the report prints them: "median (min-max)".</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values)
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

/// <summary>One run of the large-object memory measure: N associations at once, each storing one large object.</summary>
public sealed record LargeObjectRun(
    double Seconds, double MegabytesPerSecond, long PeakSampledBytes, long? PeakHighWaterBytes, int Stored, long StoredBytes, string? Error);

/// <summary>Issue 4's memory row for one system: peak resident memory while N associations each store a large object.</summary>
public sealed class LargeObjectMemory
{
    public required string System { get; init; }

    public bool IsOurs { get; init; }

    public required string Client { get; init; }

    public int Associations { get; init; }

    /// <summary>Size of each object (file size, Part 10).</summary>
    public long ObjectBytes { get; init; }

    public List<LargeObjectRun> Runs { get; } = [];

    public string Status { get; set; } = "ok";

    public bool Ok => Status == "ok" && Runs.Count > 0;

    /// <summary>The highest peak over the runs: the larger of the sampled VmRSS and the kernel's VmHWM, in MB.</summary>
    public double PeakResidentMegabytes => Runs.Count == 0 ? 0 : Runs.Max(r => Math.Max(r.PeakSampledBytes, r.PeakHighWaterBytes ?? 0)) / 1048576.0;

    public double MedianPeakResidentMegabytes => Stats.Median(Runs.Select(r => Math.Max(r.PeakSampledBytes, r.PeakHighWaterBytes ?? 0) / 1048576.0));

    public double MinPeakResidentMegabytes => Runs.Count == 0 ? 0 : Runs.Min(r => Math.Max(r.PeakSampledBytes, r.PeakHighWaterBytes ?? 0)) / 1048576.0;

    public double MedianSeconds => Stats.Median(Runs.Select(r => r.Seconds));

    public double MinSeconds => Runs.Count == 0 ? 0 : Runs.Min(r => r.Seconds);

    public double MaxSeconds => Runs.Count == 0 ? 0 : Runs.Max(r => r.Seconds);

    public double MedianMegabytesPerSecond => Stats.Median(Runs.Select(r => r.MegabytesPerSecond));
}

/// <summary>Issue 4's index-size row: the same ingest on an empty index and on a bulk-loaded one, runs alternating.</summary>
public sealed class IndexIngest
{
    public required string System { get; init; }

    public required string Workload { get; init; }

    public required string Client { get; init; }

    public int Associations { get; init; }

    public long IndexInstances { get; init; }

    public List<double> EmptyInstancesPerSecond { get; } = [];

    public List<double> LargeInstancesPerSecond { get; } = [];

    public string Status { get; set; } = "ok";

    public bool Ok => Status == "ok" && EmptyInstancesPerSecond.Count > 0 && LargeInstancesPerSecond.Count > 0;

    public double MedianEmpty => Stats.Median(EmptyInstancesPerSecond);

    public double MedianLarge => Stats.Median(LargeInstancesPerSecond);

    /// <summary>Median server CPU (utime+stime) per instance on the empty index, in ms.</summary>
    public double? EmptyCpuMillisecondsPerInstance { get; set; }

    public double? LargeCpuMillisecondsPerInstance { get; set; }

    /// <summary>Large-index rate over empty-index rate (issue 4: at least 0.80).</summary>
    public double Ratio => MedianEmpty == 0 ? 0 : MedianLarge / MedianEmpty;
}

/// <summary>Issue 5's start-up row: process start until an association and C-ECHO succeed.</summary>
public sealed class StartupTime
{
    public required string System { get; init; }

    public bool IsOurs { get; init; }

    /// <summary>What the store holds when the process starts.</summary>
    public required string Store { get; init; }

    public List<double> Seconds { get; } = [];

    public string Status { get; set; } = "ok";

    public bool Ok => Status == "ok" && Seconds.Count > 0;

    public double MedianSeconds => Stats.Median(Seconds);

    public double MinSeconds => Seconds.Count == 0 ? 0 : Seconds.Min();

    public double MaxSeconds => Seconds.Count == 0 ? 0 : Seconds.Max();
}
