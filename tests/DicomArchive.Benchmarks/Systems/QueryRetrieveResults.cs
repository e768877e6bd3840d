namespace DicomArchive.Benchmarks.Systems;

/// <summary>C-FIND latency of one query type on one system: every query timed from request to final response.</summary>
public sealed class FindLatency
{
    public required string QueryType { get; init; }

    public required string System { get; init; }

    public required string Client { get; init; }

    public bool IsOurs { get; init; }

    public int Queries { get; set; }

    /// <summary>Matches summed over all queries (the same on every system when they agree).</summary>
    public long Matches { get; set; }

    public double P50Milliseconds { get; set; }

    public double P99Milliseconds { get; set; }

    public double MaxMilliseconds { get; set; }

    /// <summary>Server process CPU time (user + system) per timed query, ms; null when not measured (10 ms clock ticks).</summary>
    public double? ServerCpuMillisecondsPerQuery { get; set; }

    public string Status { get; set; } = "ok";

    /// <summary>Matches of each query, in the order asked (compared across systems, not serialised).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public List<int> MatchesPerQuery { get; } = [];

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>One retrieve (C-MOVE to a destination, C-GET into our SCU, or the storescu baseline) of the retrieve study.</summary>
public sealed class RetrieveThroughput
{
    public required string Operation { get; init; }

    public required string Destination { get; init; }

    public required string System { get; init; }

    public bool IsOurs { get; init; }

    public List<double> Seconds { get; } = [];

    public int Instances { get; set; }

    public long Bytes { get; set; }

    public int Completed { get; set; }

    public int Failed { get; set; }

    public string Status { get; set; } = "ok";

    /// <summary>The sender's CPU seconds per timed run: the server's for a retrieve, storescu's own for the baseline.</summary>
    public List<double> ServerCpuSeconds { get; } = [];

    /// <summary>Memory of the sending server over each timed run.</summary>
    public List<RetrieveSample> Memory { get; } = [];

    /// <summary>Median server CPU time per instance sent, in milliseconds, or null when not measured.</summary>
    public double? ServerCpuMillisecondsPerInstance => ServerCpuSeconds.Count == 0 || Instances == 0 ? null : Median(ServerCpuSeconds) * 1000 / Instances;

    /// <summary>The highest peak RSS of the server over any timed run.</summary>
    public long? PeakResidentBytes => Memory.Count == 0 ? null : Memory.Max(m => m.PeakResidentBytes ?? m.MaxSampledBytes);

    public double MedianInstancesPerSecond => Seconds.Count == 0 ? 0 : Instances / Median(Seconds);

    public double MinInstancesPerSecond => Seconds.Count == 0 ? 0 : Instances / Seconds.Max();

    public double MaxInstancesPerSecond => Seconds.Count == 0 ? 0 : Instances / Seconds.Min();

    public double MedianMegabytesPerSecond => Seconds.Count == 0 ? 0 : Bytes / 1e6 / Median(Seconds);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
