using BenchmarkDotNet.Attributes;
using DicomArchive.Benchmarks.Corpus;
using DicomArchive.Dicom;

namespace DicomArchive.Benchmarks.Micro;

/// <summary>
/// Writing the CT data set (already in memory) in explicit and implicit VR little endian, and converting the
/// encoded file explicit -> implicit with the streaming transcoder (the C-MOVE/C-GET path when a peer accepts only
/// the default syntax). Output goes to a reused MemoryStream, so the bytes are really copied.
/// </summary>
[MemoryDiagnoser]
public class WriteBenchmarks
{
    private DicomFile file = null!;
    private byte[] encoded = null!;
    private MemoryStream input = null!;
    private readonly MemoryStream output = new(1 << 20);

    [GlobalSetup]
    public void Setup()
    {
        file = CorpusGenerator.CreateCtFile();
        encoded = CorpusGenerator.CreateCtFileBytes();
        input = new MemoryStream(encoded, writable: false);
    }

    [Benchmark(Baseline = true)]
    public Task WriteDatasetExplicit()
    {
        output.SetLength(0);
        return DicomDatasetWriter.WriteAsync(output, file.Dataset, TransferSyntax.ExplicitVRLittleEndian);
    }

    [Benchmark]
    public Task WriteDatasetImplicit()
    {
        output.SetLength(0);
        return DicomDatasetWriter.WriteAsync(output, file.Dataset, TransferSyntax.ImplicitVRLittleEndian);
    }

    [Benchmark]
    public Task WriteFileExplicit()
    {
        output.SetLength(0);
        return DicomFileWriter.WriteAsync(output, file);
    }

    [Benchmark]
    public Task<TransferSyntax> TranscodeFileExplicitToImplicit()
    {
        input.Position = 0;
        output.SetLength(0);
        return DicomTranscoder.ConvertFileAsync(input, output, TransferSyntax.ImplicitVRLittleEndian);
    }
}
