using System.Diagnostics;
using System.Globalization;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// A bulk-loaded index (<see cref="LargeIndexQueries.BuildAsync"/>) built once and copied into each run's data
/// folder, so every run starts on the same N-instance index and no run sees another's ingest. Optionally also one
/// empty placeholder file per indexed instance, at its indexed path: start-up recovery walks the storage folder
/// (InstanceStore.RecoverAsync), so a start-up figure without the files would leave that walk out.
/// </summary>
public sealed class LargeIndexTemplate(string directory, int instances)
{
    private const string IndexFile = "index.sqlite";

    public int Instances => instances;

    public long LoadedInstances { get; private set; }

    public double BuildSeconds { get; private set; }

    public long IndexBytes { get; private set; }

    public double PlaceholderSeconds { get; private set; }

    public async Task BuildAsync(CancellationToken ct)
    {
        if (LoadedInstances > 0)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        Console.WriteLine($"  building a {instances:N0}-instance index through IndexBulkLoader ...");
        var build = Stopwatch.StartNew();
        LoadedInstances = await LargeIndexQueries.BuildAsync(directory, instances, ct);
        BuildSeconds = build.Elapsed.TotalSeconds;
        IndexBytes = Directory.EnumerateFiles(directory, IndexFile + "*").Sum(f => new FileInfo(f).Length);
    }

    /// <summary>
    /// Copies the index (and any WAL files) into <paramref name="dataDirectory"/>, where <see cref="ArchiveSystem"/> looks,
    /// first deleting an earlier run's copy: a stale -wal file beside a fresh copy would be replayed into it.
    /// </summary>
    public void CopyInto(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        DeleteIndexCopy(dataDirectory);
        foreach (var file in Directory.EnumerateFiles(directory, IndexFile + "*"))
        {
            File.Copy(file, Path.Combine(dataDirectory, Path.GetFileName(file)), overwrite: true);
        }
    }

    /// <summary>Deletes the copied index of a finished run (one large file: no ext4 slow-down after it).</summary>
    public static void DeleteIndexCopy(string dataDirectory)
    {
        foreach (var file in Directory.EnumerateFiles(dataDirectory, IndexFile + "*"))
        {
            File.Delete(file);
        }
    }

    /// <summary>One empty file per indexed instance, at its indexed path under <paramref name="storage"/>.</summary>
    public void CreatePlaceholderFiles(string storage, CancellationToken ct)
    {
        Console.WriteLine($"  creating {instances:N0} empty placeholder files at the indexed paths ...");
        var watch = Stopwatch.StartNew();
        string? lastFolder = null;
        foreach (var relative in LargeIndexQueries.FilePaths(instances))
        {
            ct.ThrowIfCancellationRequested();
            var path = Path.Combine(storage, relative);
            var folder = Path.GetDirectoryName(path)!;
            if (!string.Equals(folder, lastFolder, StringComparison.Ordinal))
            {
                Directory.CreateDirectory(folder);
                lastFolder = folder;
            }

            File.Create(path).Dispose();
        }

        PlaceholderSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  placeholder files created in {PlaceholderSeconds:F0} s"));
    }
}
