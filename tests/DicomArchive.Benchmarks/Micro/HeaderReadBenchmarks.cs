using BenchmarkDotNet.Attributes;
using DicomArchive.Dicom;

namespace DicomArchive.Benchmarks.Micro;

/// <summary>
/// Issue 2: reading the header of a typical 512x512 CT file, stopping before the pixel data, in under 20 µs and
/// 20 KB allocated. This is what ingest does for every stored instance.
/// </summary>
[MemoryDiagnoser]
public class HeaderReadBenchmarks
{
    private CtSample sample = null!;
    private MemoryStream memory = null!;

    [GlobalSetup]
    public void Setup()
    {
        sample = new CtSample();
        memory = new MemoryStream(sample.Bytes, writable: false);
    }

    [GlobalCleanup]
    public void Cleanup() => sample.Dispose();

    [Benchmark(Baseline = true)]
    public DicomFile HeaderFromMemoryStream()
    {
        memory.Position = 0;
        return DicomFileReader.Read(memory, CtSample.HeaderOnly);
    }

    [Benchmark]
    public DicomFile HeaderFromBytes() => DicomFileReader.Read(sample.Bytes, CtSample.HeaderOnly);

    [Benchmark]
    public DicomFile HeaderFromFile() => DicomFileReader.Open(sample.Path, CtSample.HeaderOnly);

    [Benchmark]
    public Task<DicomFile> HeaderFromFileAsync() => DicomFileReader.OpenAsync(sample.Path, CtSample.HeaderOnly);
}
