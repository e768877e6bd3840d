using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// A server under test, started as its own process with its standard output and error written to a log file by
/// the shell (so the harness spends no CPU reading them), stopped with SIGTERM and then killed with its whole
/// process tree if it does not exit in time.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;

    private ServerProcess(Process process, string logPath, long startTimestamp)
    {
        this.process = process;
        LogPath = logPath;
        StartTimestamp = startTimestamp;
    }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> just before the process was started (start-up time is measured from it).</summary>
    public long StartTimestamp { get; }

    public string LogPath { get; }

    public int Id => process.Id;

    /// <summary>Starts <paramref name="fileName"/> through <c>sh -c 'exec ...'</c>: the process id is the server's own.</summary>
    public static ServerProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, string logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("log=$1; shift; exec \"$@\" >\"$log\" 2>&1");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(logPath);
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // DCMTK keeps Nagle on unless told otherwise (BENCHMARKING.md gotcha 1); harmless for the others.
        info.Environment["TCP_NODELAY"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var startTimestamp = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start");
        return new ServerProcess(process, logPath, startTimestamp);
    }

    /// <summary>Waits until <paramref name="port"/> accepts a TCP connection on loopback.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {process.ExitCode} before listening on {port}: {Tail()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, ct);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20, ct);
            }
        }

        throw new TimeoutException($"the server did not listen on {port} within {timeout}: {Tail()}");
    }

    /// <summary>CPU time (user + system) the server process used so far (Linux /proc/PID/stat), or null where unavailable.</summary>
    public double? CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Id.ToString(CultureInfo.InvariantCulture)}/stat");
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15 (proc(5)).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks / 100.0; // USER_HZ is 100 on Linux
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Peak resident set size of the server process so far (Linux VmHWM), or null where /proc is unavailable.</summary>
    public long? PeakResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Id.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
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

    /// <summary>Resident set size now (Linux VmRSS), or null where /proc is unavailable.</summary>
    public long? ResidentBytes() => StatusKilobytes("VmRSS:") * 1024;

    /// <summary>
    /// Resets the peak RSS (VmHWM) to the current RSS (Linux: "5" into /proc/PID/clear_refs), so the peak of one
    /// measured operation can be read afterwards. False where that is not possible.
    /// </summary>
    public bool ResetPeakResident()
    {
        try
        {
            File.WriteAllText($"/proc/{Id.ToString(CultureInfo.InvariantCulture)}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>CPU time the process has used so far, user + system (Linux /proc/PID/stat utime + stime), or null.</summary>
    public TimeSpan? CpuTime()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Id.ToString(CultureInfo.InvariantCulture)}/stat");

            // Fields after the command name (which may hold spaces) start after the last ')'; utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>CPU time of this process's terminated and reaped children (Linux /proc/self/stat cutime + cstime), or null.</summary>
    public static TimeSpan? ReapedChildrenCpuTime()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>USER_HZ of /proc/PID/stat: 100 on every Linux architecture .NET runs on.</summary>
    private const int ClockTicksPerSecond = 100;

    private long? StatusKilobytes(string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Id.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
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

    /// <summary>SIGTERM, then SIGKILL of the whole tree after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            using var kill = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(grace);
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            KillTree();
        }
    }

    public async ValueTask DisposeAsync()
    {
        KillTree();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private void KillTree()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    private string Tail()
    {
        try
        {
            var text = File.ReadAllText(LogPath);
            return text.Length > 2000 ? text[^2000..] : text;
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
