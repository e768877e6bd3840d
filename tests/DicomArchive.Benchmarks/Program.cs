using System.CommandLine;
using DicomArchive.Benchmarks.Cli;

namespace DicomArchive.Benchmarks;

/// <summary>
/// The benchmark harness. Verbs:
/// <list type="bullet">
/// <item><c>micro [BenchmarkDotNet arguments]</c>: the BenchmarkDotNet suite (reader, writer, transcoder).</item>
/// <item><c>stream</c>: throughput and memory while streaming through a large multi-frame file.</item>
/// <item><c>corpus</c>: writes a benchmark corpus with our writer.</item>
/// <item><c>system [--quick | --full]</c>: ingest throughput beside DCMTK storescp and Orthanc (issue 5).</item>
/// </list>
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("DicomArchive benchmarks: micro benchmarks, streaming throughput and corpus generation.")
        {
            MicroVerb.Create(),
            StreamVerb.Create(),
            CorpusVerb.Create(),
            SystemVerb.Create(),
            SinkVerb.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
