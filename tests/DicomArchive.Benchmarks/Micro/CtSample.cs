using DicomArchive.Benchmarks.Corpus;
using DicomArchive.Dicom;

namespace DicomArchive.Benchmarks.Micro;

/// <summary>The typical 512x512 CT file the micro benchmarks read and write, in memory and in a temporary file.</summary>
public sealed class CtSample : IDisposable
{
    public CtSample()
    {
        Bytes = CorpusGenerator.CreateCtFileBytes();
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dicomarchive-bench-ct-{Environment.ProcessId}.dcm");
        File.WriteAllBytes(Path, Bytes);

        // Read it once so the page cache holds it: the benchmark is the parser, not the disk.
        _ = File.ReadAllBytes(Path);
    }

    public byte[] Bytes { get; }

    public string Path { get; }

    public static DicomReaderOptions HeaderOnly { get; } = new() { StopBeforeTag = DicomTag.PixelData };

    /// <summary>Values over 64 KB (the pixel data) stay in the file as references.</summary>
    public static DicomReaderOptions BulkData { get; } = new() { BulkDataThreshold = 64 * 1024 };

    public void Dispose() => File.Delete(Path);
}
