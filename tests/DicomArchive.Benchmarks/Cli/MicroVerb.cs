using System.CommandLine;
using BenchmarkDotNet.Running;

namespace DicomArchive.Benchmarks.Cli;

/// <summary>
/// `micro [BenchmarkDotNet arguments]`: runs the BenchmarkDotNet suite; every token after the verb goes to
/// BenchmarkDotNet unchanged (`micro --filter '*Header*' --job short`, `micro --list flat`).
/// </summary>
public static class MicroVerb
{
    public static Command Create()
    {
        var command = new Command("micro", "Run the BenchmarkDotNet micro benchmarks; other arguments go to BenchmarkDotNet.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(parseResult =>
        {
            var arguments = parseResult.UnmatchedTokens.ToArray();
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroVerb).Assembly).Run(arguments);
            foreach (var summary in summaries)
            {
                if (summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success))
                {
                    return 1;
                }
            }

            return 0;
        });
        return command;
    }
}
