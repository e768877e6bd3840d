using System.Globalization;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// DCMTK storescp with <c>--fork</c> (one child per association, so associations run in parallel): writes each
/// instance to a file and indexes nothing, never fsyncs; with <c>--ignore</c> it receives and discards (protocol only).
/// </summary>
public sealed class StorescpSystem(bool ignore) : BenchmarkSystem
{
    public override string Name => ignore ? "storescp --ignore" : "storescp";

    public override string Description => ignore
        ? "DCMTK storescp --fork --ignore: receives and discards (protocol-only ceiling), 16 KiB PDU"
        : "DCMTK storescp --fork: one file per instance, no index, no fsync, 16 KiB PDU";

    public override string? Unavailable() => FindExecutable("storescp") is null ? "skipped (not installed)" : null;

    public override string Version() => ToolVersion.Of("storescp", "--version");

    public override async Task<RunningServer> StartAsync(string dataDirectory, CancellationToken ct)
    {
        var port = ServerProcess.FreePort();
        var output = Path.Combine(dataDirectory, "storage");
        Directory.CreateDirectory(output);
        List<string> args = ["--fork", "-aet", "STORESCP"];
        args.AddRange(ignore ? ["--ignore"] : ["-od", output]);
        args.Add(port.ToString(CultureInfo.InvariantCulture));
        var process = ServerProcess.Start(FindExecutable("storescp")!, args, dataDirectory, Path.Combine(dataDirectory, "console.log"));
        try
        {
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(30), ct);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new RunningServer(process, port, "STORESCP",
            _ => Task.FromResult<int?>(ignore ? null : RunningServer.CountFiles(output, "*")));
    }
}
