using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DicomArchive.Service.Tests.Support;

/// <summary>
/// The real `dicom-archive` executable (the build output next to the tests) running as its own process on a free
/// loopback port, with its data in a folder of the test's. Crash tests kill it with SIGKILL; stop tests send SIGTERM.
/// </summary>
internal sealed class ArchiveProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ArchiveProcess(Process process, string root, int port)
    {
        this.process = process;
        Root = root;
        Port = port;
    }

    public string Root { get; }

    public int Port { get; }

    public string StorageRoot => Path.Combine(Root, "storage");

    public string IndexPath => Path.Combine(Root, "index.sqlite");

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// The audit trail once <paramref name="condition"/> holds for it: the archive writes it in blocks, flushed every
    /// second (AuditLog.FlushInterval), so a line can trail its event by that long.
    /// </summary>
    public async Task<string> WaitForAuditAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var text = AuditText;
            if (condition(text) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The audit trail written so far (its own file: per-instance events do not go to the console).</summary>
    public string AuditText
    {
        get
        {
            var builder = new System.Text.StringBuilder();
            var folder = Path.Combine(Root, "logs");
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.GetFiles(folder, "audit-*.log"))
                {
                    using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    using var reader = new StreamReader(stream);
                    builder.Append(reader.ReadToEnd());
                }
            }

            return builder.ToString();
        }
    }

    public bool HasExited => process.HasExited;

    /// <summary>The archive's process id (`dotnet dicom-archive.dll` runs the app in the host process itself).</summary>
    public int ProcessId => process.Id;

    /// <summary>Resident memory of the archive process (VmRSS of /proc/pid/status), in bytes; null where /proc is absent.</summary>
    public long? ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // Not Linux, or the process is gone.
        }
        catch (UnauthorizedAccessException)
        {
            // Not readable here.
        }

        return null;
    }

    public int ExitCode => process.ExitCode;

    /// <summary>The arguments that point the archive at <paramref name="root"/>; verbs take the same.</summary>
    public static string[] DataArgs(string root) =>
    [
        $"--Archive:StorageRoot={Path.Combine(root, "storage")}",
        $"--Archive:IndexPath={Path.Combine(root, "index.sqlite")}",
        "--Archive:MinimumFreeDiskBytes=0",
        $"--Serilog:WriteTo:1:Args:path={Path.Combine(root, "logs", "dicom-archive-.log")}",
        $"--Archive:AuditLogPath={Path.Combine(root, "logs", "audit-.log")}",
    ];

    /// <summary>A fixture's tear-down: stops the archive (if it started) and deletes the fixture's folder, unless
    /// DICOMARCHIVE_KEEP_TEST_DATA is set (to look at what a failed run left).</summary>
    public static async Task StopAndDeleteAsync(ArchiveProcess? archive, string? folder)
    {
        if (archive is not null)
        {
            await archive.DisposeAsync();
        }

        if (folder is not null && Environment.GetEnvironmentVariable("DICOMARCHIVE_KEEP_TEST_DATA") is null)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static async Task<ArchiveProcess> StartAsync(string root, int? port = null, params string[] extraArgs)
    {
        var chosen = port ?? FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dicom-archive.dll"));
        info.ArgumentList.Add($"--Archive:Port={chosen}");
        foreach (var arg in DataArgs(root))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var arg in extraArgs)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var archive = new ArchiveProcess(process, root, chosen);
        process.OutputDataReceived += (_, e) => archive.Append(e.Data);
        process.ErrorDataReceived += (_, e) => archive.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await archive.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        return archive;
    }

    /// <summary>SIGKILL: the process gets no chance to flush or clean anything (a power cut, as far as it can tell).</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM (what systemd sends on stop); returns the exit code, or null when it did not exit in time.</summary>
    public async Task<int?> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!process.HasExited)
        {
            await KillAsync();
        }

        process.Dispose();
    }

    private bool disposed;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"dicom-archive exited with {process.ExitCode} before listening:\n{Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"dicom-archive did not listen on {Port} within {timeout}:\n{Output}");
    }
}
