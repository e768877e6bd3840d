using System.CommandLine;

namespace DicomArchive.Service.Verbs;

/// <summary>
/// `dicom-archive verify`: checks that every indexed file exists and matches its hash and that every file is
/// indexed. Prints one line per problem naming the file; exit code 1 when there is any.
/// </summary>
internal static class VerifyVerb
{
    public static Command Create()
    {
        var command = new Command("verify", "Check the stored files against the index (every file present, intact and indexed).");
        StorageVerb.AcceptConfigurationTokens(command);
        command.SetAction((parseResult, ct) => RunAsync(
            StorageVerb.ConfigurationArgs(parseResult), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, ct));
        return command;
    }

    public static async Task<int> RunAsync(string[] configArgs, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var store = await StorageVerb.OpenStoreAsync("verify", configArgs, stderr, ct).ConfigureAwait(false);
        if (store is null)
        {
            return StorageVerb.SetupFailed;
        }

        await using (store.ConfigureAwait(false))
        {
            var report = await store.VerifyAsync(ct).ConfigureAwait(false);
            await StorageVerb.WriteReportAsync(report, stdout).ConfigureAwait(false);
            await stdout.WriteLineAsync($"checked {report.InstancesChecked} instances and {report.FilesScanned} files: "
                + (report.IsHealthy ? "no problems" : $"{report.Problems.Count} problems")).ConfigureAwait(false);
            return report.IsHealthy ? 0 : 1;
        }
    }
}
