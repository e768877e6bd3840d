using System.Diagnostics;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// Watches the sending server over one timed retrieve: the CPU time it used (utime + stime), its RSS sampled every
/// 20 ms, and its peak RSS over the retrieve alone (VmHWM reset at the start), so "memory flat" can be shown.
/// </summary>
public sealed class RetrieveProbe
{
    private readonly ServerProcess process;
    private readonly TimeSpan? cpuAtStart;
    private readonly bool peakReset;
    private readonly List<(double Seconds, long Bytes)> samples = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampler;
    private readonly long started = Stopwatch.GetTimestamp();

    private RetrieveProbe(ServerProcess process)
    {
        this.process = process;
        peakReset = process.ResetPeakResident();
        cpuAtStart = process.CpuTime();
        sampler = Task.Run(SampleAsync);
    }

    public static RetrieveProbe Start(ServerProcess process) => new(process);

    /// <summary>Stops sampling and returns what was seen.</summary>
    public async Task<RetrieveSample> StopAsync()
    {
        var cpuAtEnd = process.CpuTime();
        await stop.CancelAsync();
        await sampler;
        stop.Dispose();
        Record();
        long? Sample(double fraction)
        {
            if (samples.Count == 0)
            {
                return null;
            }

            var at = samples[^1].Seconds * fraction;
            return samples.MinBy(s => Math.Abs(s.Seconds - at)).Bytes;
        }

        return new RetrieveSample(
            cpuAtStart is { } a && cpuAtEnd is { } b ? (b - a).TotalSeconds : null,
            peakReset ? process.PeakResidentBytes() : null,
            Sample(0), Sample(0.5), Sample(1), samples.Count == 0 ? null : samples.Max(s => s.Bytes));
    }

    private async Task SampleAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Record();
                await Task.Delay(20, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Record()
    {
        if (process.ResidentBytes() is { } rss)
        {
            lock (samples)
            {
                samples.Add((Stopwatch.GetElapsedTime(started).TotalSeconds, rss));
            }
        }
    }
}

/// <summary>The server's CPU seconds over one retrieve, its peak RSS (VmHWM since the start), and RSS sampled at start, middle, end and at most.</summary>
public sealed record RetrieveSample(double? CpuSeconds, long? PeakResidentBytes, long? StartBytes, long? MiddleBytes, long? EndBytes, long? MaxSampledBytes);
