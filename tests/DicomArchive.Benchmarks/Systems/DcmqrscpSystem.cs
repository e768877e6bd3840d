using System.Globalization;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// DCMTK dcmqrscp, the DCMTK image archive (issue 5: "dcmqrscp where it applies"): stores each instance as a file and
/// keeps its own index file (index.dat), never fsyncs. Started with <c>-dhl</c> (no host-name lookup) and a study
/// quota far above the corpus, because past its quota it silently deletes the oldest studies. It forks per
/// association, but concurrent stores corrupt its index (/work/shared/BENCHMARKING.md): its rows above one
/// association are expected to fail, and are reported as they come out.
/// </summary>
public sealed class DcmqrscpSystem : BenchmarkSystem
{
    public const string AeTitle = "DCMQRSCP";

    public override string Name => "dcmqrscp";

    public override string Description => "DCMTK dcmqrscp -dhl: one file per instance and its own index.dat, no fsync, 16 KiB PDU";

    public override string? Unavailable() => FindExecutable("dcmqrscp") is null ? "skipped (not installed)" : null;

    public override string Version() => ToolVersion.Of("dcmqrscp", "--version");

    public override async Task<RunningServer> StartAsync(string dataDirectory, CancellationToken ct)
    {
        var port = ServerProcess.FreePort();
        var storage = Path.Combine(dataDirectory, "storage");
        Directory.CreateDirectory(storage);
        var config = Path.Combine(dataDirectory, "dcmqrscp.cfg");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            NetworkTCPPort  = {port}
            MaxPDUSize      = 16384
            MaxAssociations = 64

            HostTable BEGIN
            HostTable END

            VendorTable BEGIN
            VendorTable END

            AETable BEGIN
            {AeTitle}  {storage}  RW  (100000, 100000mb)  ANY
            AETable END

            """), ct);
        var process = ServerProcess.Start(FindExecutable("dcmqrscp")!, ["-c", config, "-dhl"], dataDirectory,
            Path.Combine(dataDirectory, "console.log"));
        try
        {
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(30), ct);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new RunningServer(process, port, AeTitle, _ => Task.FromResult<int?>(
            Directory.Exists(storage) ? Directory.EnumerateFiles(storage).Count(f => Path.GetFileName(f) != "index.dat") : 0));
    }
}
