namespace DicomArchive.Benchmarks.Systems;

/// <summary>One system under test: how to find it, start it on a free loopback port and count what it stored.</summary>
public abstract class BenchmarkSystem
{
    /// <summary>Short name used in tables, JSON and the chart.</summary>
    public abstract string Name { get; }

    /// <summary>What the row measures (settings, durability, PDU size).</summary>
    public abstract string Description { get; }

    /// <summary>True for our own archive (ratios are ours against each peer).</summary>
    public virtual bool IsOurs => false;

    /// <summary>Null when the system can run here, otherwise why not ("not installed").</summary>
    public abstract string? Unavailable();

    /// <summary>A version string for the report.</summary>
    public abstract string Version();

    /// <summary>Starts the system with an empty store under <paramref name="dataDirectory"/>.</summary>
    public abstract Task<RunningServer> StartAsync(string dataDirectory, CancellationToken ct);

    protected static string? FindExecutable(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':').Append("/usr/sbin"))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}

/// <summary>A started system: its process, where to send, and how to count what it stored.</summary>
public sealed class RunningServer(ServerProcess process, int port, string calledAeTitle, Func<CancellationToken, Task<int?>> countStored)
    : IAsyncDisposable
{
    public ServerProcess Process { get; } = process;

    public int Port { get; } = port;

    public string CalledAeTitle { get; } = calledAeTitle;

    /// <summary>The number of instances the system holds now, or null when it discards what it receives.</summary>
    public Task<int?> CountStoredAsync(CancellationToken ct) => countStored(ct);

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    /// <summary>Files under <paramref name="directory"/> matching <paramref name="pattern"/>, recursively.</summary>
    public static int CountFiles(string directory, string pattern) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories).Count() : 0;
}
