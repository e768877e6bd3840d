using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// Orthanc from the Debian package with its default SQLite configuration: a generated configuration file sets only
/// the AE title, the DICOM and HTTP ports, the storage and index folders (temporary), no plugins and HTTP for
/// loopback only (its REST API counts the stored instances). Everything else, including the MD5 of every file and
/// SQLite WAL with synchronous=NORMAL (no fsync per instance), stays at Orthanc's defaults (BENCHMARKING.md 4, 8).
/// <paramref name="modalities"/> become DicomModalities entries (AE title, 127.0.0.1, port): Orthanc answers C-FIND,
/// C-MOVE and C-GET only for callers it knows, and moves only to destinations it knows.
/// </summary>
public sealed class OrthancSystem(IReadOnlyList<(string AeTitle, int Port)>? modalities = null) : BenchmarkSystem
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public override string Name => "Orthanc";

    public override string Description => "Orthanc (Debian package), default SQLite configuration, no fsync per instance, 16 KiB PDU";

    public override string? Unavailable() => FindExecutable("Orthanc") is null ? "skipped (not installed)" : null;

    public override string Version() => ToolVersion.Of(FindExecutable("Orthanc") ?? "Orthanc", "--version");

    public override async Task<RunningServer> StartAsync(string dataDirectory, CancellationToken ct)
    {
        var port = ServerProcess.FreePort();
        var httpPort = ServerProcess.FreePort();
        var config = new JsonObject
        {
            ["Name"] = "benchmark",
            ["DicomAet"] = "ORTHANC",
            ["DicomPort"] = port,
            ["HttpPort"] = httpPort,
            ["RemoteAccessAllowed"] = false,
            ["StorageDirectory"] = Path.Combine(dataDirectory, "storage"),
            ["IndexDirectory"] = Path.Combine(dataDirectory, "index"),
            ["Plugins"] = new JsonArray(),
        };
        if (modalities is { Count: > 0 })
        {
            var known = new JsonObject();
            foreach (var (aeTitle, modalityPort) in modalities)
            {
                known[aeTitle.ToLowerInvariant()] = new JsonArray(aeTitle, "127.0.0.1", modalityPort);
            }

            config["DicomModalities"] = known;
        }

        var configPath = Path.Combine(dataDirectory, "orthanc.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);
        var process = ServerProcess.Start(FindExecutable("Orthanc")!, [configPath], dataDirectory, Path.Combine(dataDirectory, "console.log"));
        try
        {
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(60), ct);
            await process.WaitForPortAsync(httpPort, TimeSpan.FromSeconds(60), ct);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new RunningServer(process, port, "ORTHANC", async token =>
        {
            var uri = new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/statistics");
            using var document = JsonDocument.Parse(await Http.GetStringAsync(uri, token));
            return document.RootElement.GetProperty("CountInstances").GetInt32();
        });
    }
}
