using System.CommandLine;

namespace DicomArchive.Service.Verbs;

/// <summary>`dicom-archive reindex`: rebuilds the index from the stored files (run with the service stopped).</summary>
internal static class ReindexVerb
{
    public static Command Create()
    {
        var command = new Command("reindex", "Rebuild the index from the stored files (run with the service stopped).");
        StorageVerb.AcceptConfigurationTokens(command);
        command.SetAction((parseResult, ct) => RunAsync(
            StorageVerb.ConfigurationArgs(parseResult), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, ct));
        return command;
    }

    public static async Task<int> RunAsync(string[] configArgs, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var store = await StorageVerb.OpenStoreAsync("reindex", configArgs, stderr, ct).ConfigureAwait(false);
        if (store is null)
        {
            return StorageVerb.SetupFailed;
        }

        await using (store.ConfigureAwait(false))
        {
            var report = await store.ReindexAsync(ct).ConfigureAwait(false);
            await StorageVerb.WriteReportAsync(report, stdout).ConfigureAwait(false);
            await stdout.WriteLineAsync($"reindexed {report.InstancesIndexed} instances from {report.FilesScanned} files, {report.Problems.Count} problems")
                .ConfigureAwait(false);
            return report.IsHealthy ? 0 : 1;
        }
    }
}
