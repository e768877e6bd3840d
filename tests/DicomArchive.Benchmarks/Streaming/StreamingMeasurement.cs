using System.Buffers;
using System.Diagnostics;
using DicomArchive.Dicom;

namespace DicomArchive.Benchmarks.Streaming;

/// <summary>One way of streaming through a large file.</summary>
public enum StreamingMode
{
    /// <summary>Read with a bulk data threshold (pixel data stays a reference), then copy its bytes through a pooled buffer.</summary>
    BulkDataCopy,

    /// <summary>DicomTranscoder.WriteFileDatasetAsync in the stored syntax (the C-GET/C-MOVE path) to Stream.Null.</summary>
    TranscodeSameSyntax,

    /// <summary>DicomTranscoder.WriteFileDatasetAsync explicit -> implicit VR little endian to Stream.Null.</summary>
    TranscodeToImplicit,
}

/// <summary>The result of one mode: the timed passes, allocation per pass, and the working set before and at its peak.</summary>
public sealed record StreamingResult(
    StreamingMode Mode,
    long Bytes,
    IReadOnlyList<TimeSpan> Passes,
    long AllocatedBytes,
    long WorkingSetBefore,
    long PeakWorkingSet,
    bool PeakCoversMeasurementOnly)
{
    public double MedianGigabytesPerSecond
    {
        get
        {
            var sorted = Passes.Order().ToArray();
            return Bytes / sorted[sorted.Length / 2].TotalSeconds / 1e9;
        }
    }

    public double BestGigabytesPerSecond => Bytes / Passes.Min().TotalSeconds / 1e9;

    public long WorkingSetGrowth => Math.Max(0, PeakWorkingSet - WorkingSetBefore);
}

/// <summary>
/// Issue 2: streaming through a 1 GB multi-frame file from the page cache at 1 GB/s or more with memory flat
/// (under 50 MB growth). BenchmarkDotNet would repeat a gigabyte dozens of times, so this is timed by hand:
/// one warm-up pass (which also puts the file in the page cache), then <c>passes</c> timed ones. The working set
/// is taken before the warm-up and its peak over the warm-up and the timed passes.
/// </summary>
public static class StreamingMeasurement
{
    private const int CopyBufferSize = 1 << 20;

    public static async Task<StreamingResult> RunAsync(string path, StreamingMode mode, int passes, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        var bytes = new FileInfo(path).Length;

        // The peak counts the warm-up pass too (first-use JIT, pool growth): the growth reported is the whole cost.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var peakReset = ResetPeakWorkingSet();
        process.Refresh();
        var before = process.WorkingSet64;
        await RunOnceAsync(path, mode, ct).ConfigureAwait(false);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var times = new List<TimeSpan>(passes);
        for (var i = 0; i < passes; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await RunOnceAsync(path, mode, ct).ConfigureAwait(false);
            times.Add(stopwatch.Elapsed);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        return new StreamingResult(mode, bytes, times, allocated / passes, before, process.PeakWorkingSet64, peakReset);
    }

    private static async Task RunOnceAsync(string path, StreamingMode mode, CancellationToken ct)
    {
        switch (mode)
        {
            case StreamingMode.BulkDataCopy:
                await CopyPixelDataAsync(path, ct).ConfigureAwait(false);
                break;
            case StreamingMode.TranscodeSameSyntax:
                await TranscodeAsync(path, TransferSyntax.ExplicitVRLittleEndian, ct).ConfigureAwait(false);
                break;
            case StreamingMode.TranscodeToImplicit:
                await TranscodeAsync(path, TransferSyntax.ImplicitVRLittleEndian, ct).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        }
    }

    private static async Task CopyPixelDataAsync(string path, CancellationToken ct)
    {
        var file = await DicomFileReader.OpenAsync(path, new DicomReaderOptions { BulkDataThreshold = 1 << 16 }, ct).ConfigureAwait(false);
        if (file.Dataset[DicomTag.PixelData] is not DicomValueElement { BulkData: { } reference })
        {
            throw new InvalidOperationException($"{path}: the pixel data was not left in the file as a bulk data reference.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (source.ConfigureAwait(false))
            {
                source.Seek(reference.Offset, SeekOrigin.Begin);
                var remaining = reference.Length;
                while (remaining > 0)
                {
                    var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new EndOfStreamException($"{path}: the pixel data ends {remaining} bytes early.");
                    }

                    await Stream.Null.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    remaining -= read;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task TranscodeAsync(string path, TransferSyntax syntax, CancellationToken ct)
    {
        var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (source.ConfigureAwait(false))
        {
            await DicomTranscoder.WriteFileDatasetAsync(source, Stream.Null, syntax, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Linux keeps the peak resident set (VmHWM) for the life of the process; writing 5 to clear_refs resets it
    /// (proc(5)), so the peak covers the measured passes only. Elsewhere the peak includes the generation step.
    /// </summary>
    private static bool ResetPeakWorkingSet()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not permitted here: the peak is then the process's, generation included, and the growth an upper bound.
            return false;
        }
    }
}
