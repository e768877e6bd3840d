using System.CommandLine;
using System.Globalization;
using DicomArchive.Benchmarks.Corpus;
using DicomArchive.Benchmarks.Streaming;

namespace DicomArchive.Benchmarks.Cli;

/// <summary>
/// `stream [--size BYTES] [--passes N] [--dir DIR] [--mode MODE]`: generates a multi-frame file once (kept in
/// DIR and reused by later runs), streams through it and prints GB/s, allocation per pass and peak working set.
/// </summary>
public static class StreamVerb
{
    /// <summary>Issue 2: memory growth while streaming a 1 GB object stays under this.</summary>
    private const long MaxGrowth = 50L * 1024 * 1024;

    public static Command Create()
    {
        var size = new Option<long>("--size") { Description = "Pixel data bytes (whole 512x512x2 frames).", DefaultValueFactory = _ => 1L << 30 };
        var passes = new Option<int>("--passes") { Description = "Timed passes per mode.", DefaultValueFactory = _ => 3 };
        var dir = new Option<string>("--dir")
        {
            Description = "Where the file is generated and kept.",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "dicomarchive-bench"),
        };
        var mode = new Option<StreamingMode[]>("--mode") { Description = "Modes to run (default: all).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("stream", "Stream through a large multi-frame file and report throughput and memory.") { size, passes, dir, mode };
        command.SetAction((parseResult, ct) => RunAsync(
            parseResult.GetValue(size), parseResult.GetValue(passes), parseResult.GetValue(dir)!, parseResult.GetValue(mode), ct));
        return command;
    }

    private static async Task<int> RunAsync(long size, int passes, string directory, StreamingMode[]? modes, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"multiframe-{size.ToString(CultureInfo.InvariantCulture)}.dcm");
        if (!File.Exists(path))
        {
            Console.WriteLine($"generating {path} ...");
            var random = new Random(new CorpusOptions().Seed);
            var uids = new CorpusUidGenerator(random);
            var patients = CorpusLayout.Create(new CorpusOptions { Patients = 1, StudiesPerPatient = 1, SeriesPerStudy = 1 }, random, uids);
            await MultiFrameWriter.WriteAsync(path, size, CorpusLayout.Place(patients, 0, 1, mr: false), random, uids, ct);
        }

        Console.WriteLine($"file: {path} ({new FileInfo(path).Length / 1e9:F3} GB), {passes} timed passes after one warm-up");
        Console.WriteLine($"{Environment.ProcessorCount} logical CPUs, {Environment.OSVersion}, .NET {Environment.Version}");
        Console.WriteLine();
        Console.WriteLine("| Mode | Median GB/s | Best GB/s | Allocated per pass | Working set before | Peak working set | Growth |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var failed = false;
        foreach (var m in modes is { Length: > 0 } ? modes : Enum.GetValues<StreamingMode>())
        {
            var result = await StreamingMeasurement.RunAsync(path, m, passes, ct);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {m} | {result.MedianGigabytesPerSecond:F2} | {result.BestGigabytesPerSecond:F2} | {Megabytes(result.AllocatedBytes)} | "
                + $"{Megabytes(result.WorkingSetBefore)} | {Megabytes(result.PeakWorkingSet)} | {Megabytes(result.WorkingSetGrowth)}{(result.PeakCoversMeasurementOnly ? "" : " (upper bound)")} |"));
            failed |= result.WorkingSetGrowth > MaxGrowth;
        }

        return failed ? 1 : 0;
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MB");
}
