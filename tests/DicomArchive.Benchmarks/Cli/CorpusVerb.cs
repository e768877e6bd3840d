using System.CommandLine;
using DicomArchive.Benchmarks.Corpus;

namespace DicomArchive.Benchmarks.Cli;

/// <summary>`corpus --out DIR [--ct N] [--mr N] [--multiframe-bytes N] [--patients N] [--studies N] [--series N] [--seed N]`.</summary>
public static class CorpusVerb
{
    public static Command Create()
    {
        var defaults = new CorpusOptions();
        var output = new Option<string>("--out") { Description = "Directory to write the corpus into.", Required = true };
        var ct = new Option<int>("--ct") { Description = "512x512 16-bit CT objects.", DefaultValueFactory = _ => defaults.CtCount };
        var mr = new Option<int>("--mr") { Description = "64x64 16-bit MR-like objects (about 10 KB).", DefaultValueFactory = _ => defaults.MrCount };
        var multiFrame = new Option<long>("--multiframe-bytes")
        {
            Description = "Pixel data bytes of the multi-frame object; 0 for none.",
            DefaultValueFactory = _ => defaults.MultiFrameBytes,
        };
        var patients = new Option<int>("--patients") { DefaultValueFactory = _ => defaults.Patients };
        var studies = new Option<int>("--studies") { Description = "Studies per patient.", DefaultValueFactory = _ => defaults.StudiesPerPatient };
        var series = new Option<int>("--series") { Description = "Series per modality per study.", DefaultValueFactory = _ => defaults.SeriesPerStudy };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => defaults.Seed };
        var command = new Command("corpus", "Generate a benchmark corpus with DicomArchive's own writer.")
        {
            output, ct, mr, multiFrame, patients, studies, series, seed,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new CorpusOptions
            {
                CtCount = parseResult.GetValue(ct),
                MrCount = parseResult.GetValue(mr),
                MultiFrameBytes = parseResult.GetValue(multiFrame),
                Patients = parseResult.GetValue(patients),
                StudiesPerPatient = parseResult.GetValue(studies),
                SeriesPerStudy = parseResult.GetValue(series),
                Seed = parseResult.GetValue(seed),
            };
            var files = await CorpusGenerator.GenerateAsync(parseResult.GetValue(output)!, options, ct: cancellationToken);
            var bytes = files.Sum(f => f.Length);
            Console.WriteLine($"{files.Count} files, {bytes / 1e6:F1} MB in {parseResult.GetValue(output)}");
            return 0;
        });
        return command;
    }
}
