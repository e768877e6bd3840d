using System.Globalization;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// This archive: the published Release build with the shipped appsettings.json, only the port, data folders and
/// the free-disk floor (0, so a small temp volume does not refuse stores) changed, plus the settings of the variant.
/// </summary>
public sealed class ArchiveSystem(string publishDirectory, string name, string description, IReadOnlyList<string> settings) : BenchmarkSystem
{
    public const string AeTitle = "DICOMARCHIVE";

    public override string Name => name;

    public override string Description => description;

    public override bool IsOurs => true;

    private string Executable => Path.Combine(publishDirectory, "dicom-archive");

    public override string? Unavailable() => File.Exists(Executable) ? null : $"not built ({Executable} missing)";

    public override string Version()
    {
        var dll = Path.Combine(publishDirectory, "dicom-archive.dll");
        return File.Exists(dll)
            ? System.Diagnostics.FileVersionInfo.GetVersionInfo(dll).ProductVersion ?? "?"
            : "?";
    }

    public override async Task<RunningServer> StartAsync(string dataDirectory, CancellationToken ct)
    {
        var port = ServerProcess.FreePort();
        var storage = Path.Combine(dataDirectory, "storage");
        string[] args =
        [
            $"--Archive:Port={port.ToString(CultureInfo.InvariantCulture)}",
            $"--Archive:StorageRoot={storage}",
            $"--Archive:IndexPath={Path.Combine(dataDirectory, "index.sqlite")}",
            "--Archive:MinimumFreeDiskBytes=0",
            $"--Serilog:WriteTo:1:Args:path={Path.Combine(dataDirectory, "logs", "dicom-archive-.log")}",
            .. settings,
        ];
        var process = ServerProcess.Start(Executable, args, dataDirectory, Path.Combine(dataDirectory, "console.log"));
        try
        {
            // Start-up recovery walks the whole storage folder first: minutes at millions of files (StartupBenchmark).
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(300), ct);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new RunningServer(process, port, AeTitle, _ => Task.FromResult<int?>(RunningServer.CountFiles(storage, "*.dcm")));
    }
}
