using System.Globalization;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// Samples the resident set size (Linux /proc/PID/status VmRSS) of a server process and all its descendants
/// (storescp --fork serves each association in a child) every <c>interval</c> until disposed, keeping the highest
/// sum seen. The server's own VmHWM (its kernel-kept peak) is read separately at the end by the caller.
/// </summary>
public sealed class ResidentSetSampler : IAsyncDisposable
{
    private readonly int processId;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public ResidentSetSampler(int processId, TimeSpan interval)
    {
        this.processId = processId;
        loop = Task.Run(() => SampleAsync(interval, stop.Token));
    }

    /// <summary>The highest VmRSS sum of the process tree seen so far, in bytes.</summary>
    public long PeakBytes { get; private set; }

    /// <summary>Samples taken (at least one when the process was alive).</summary>
    public int Samples { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    /// <summary>A field of /proc/PID/status in bytes (VmRSS, VmHWM), or null when the process is gone.</summary>
    public static long? StatusBytes(int processId, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal) && line.Length > field.Length && line[field.Length] == ':')
                {
                    var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private async Task SampleAsync(TimeSpan interval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var total = TreeResidentBytes(processId, depth: 0);
            if (total > 0)
            {
                Samples++;
                PeakBytes = Math.Max(PeakBytes, total);
            }

            await Task.Delay(interval, ct);
        }
    }

    private static long TreeResidentBytes(int pid, int depth)
    {
        var total = StatusBytes(pid, "VmRSS") ?? 0;
        if (depth > 3)
        {
            return total;
        }

        foreach (var child in Children(pid))
        {
            total += TreeResidentBytes(child, depth + 1);
        }

        return total;
    }

    /// <summary>Children of every thread of <paramref name="pid"/> (/proc/PID/task/TID/children, Linux 3.5+).</summary>
    private static List<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task"))
            {
                var text = File.ReadAllText(Path.Combine(task, "children"));
                foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    children.Add(int.Parse(token, CultureInfo.InvariantCulture));
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return children;
    }
}
