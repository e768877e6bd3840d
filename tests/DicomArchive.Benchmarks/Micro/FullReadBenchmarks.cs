using BenchmarkDotNet.Attributes;
using DicomArchive.Dicom;

namespace DicomArchive.Benchmarks.Micro;

/// <summary>Reading the whole CT file: pixel data loaded (0.5 MB copied), or left in the file as a bulk data reference.</summary>
[MemoryDiagnoser]
public class FullReadBenchmarks
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
    public DicomFile FullFromMemoryStream()
    {
        memory.Position = 0;
        return DicomFileReader.Read(memory);
    }

    [Benchmark]
    public DicomFile FullFromFile() => DicomFileReader.Open(sample.Path);

    [Benchmark]
    public DicomFile BulkDataReferenceFromFile() => DicomFileReader.Open(sample.Path, CtSample.BulkData);
}
