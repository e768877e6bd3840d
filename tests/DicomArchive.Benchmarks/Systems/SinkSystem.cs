using System.Globalization;
using System.Reflection;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// Our network layer with a discarding C-STORE handler (the `sink` verb of this program), beside storescp --ignore:
/// both receive and throw away, so the row compares the protocol implementations alone (issue 3).
/// </summary>
public sealed class SinkSystem : BenchmarkSystem
{
    public override string Name => "ours --ignore";

    public override string Description =>
        "our DicomServer with a C-STORE handler that reads each data set and discards it (protocol only, like storescp --ignore), 16 KiB PDU";

    public override bool IsOurs => true;

    public override string? Unavailable() => null;

    public override string Version() => typeof(SinkSystem).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";

    public override async Task<RunningServer> StartAsync(string dataDirectory, CancellationToken ct)
    {
        var port = ServerProcess.FreePort();
        Directory.CreateDirectory(dataDirectory);
        var (program, prefix) = SelfCommand();
        List<string> args = [.. prefix, "sink", "--port", port.ToString(CultureInfo.InvariantCulture)];
        var process = ServerProcess.Start(program, args, dataDirectory, Path.Combine(dataDirectory, "console.log"));
        try
        {
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(30), ct);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new RunningServer(process, port, "SINK", _ => Task.FromResult<int?>(null));
    }

    /// <summary>This program again: its apphost, or `dotnet its.dll` when run through the muxer.</summary>
    private static (string Program, string[] Prefix) SelfCommand()
    {
        var path = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? (path, [typeof(SinkSystem).Assembly.Location])
            : (path, []);
    }
}
