using System.CommandLine;
using DicomArchive.Service.Hosting;
using DicomArchive.Storage;

namespace DicomArchive.Service.Verbs;

/// <summary>
/// What the maintenance verbs share: the archive's configuration (same sources as the service) and the store,
/// opened while the service is stopped (the storage lock refuses a second owner with a clear line).
/// </summary>
internal static class StorageVerb
{
    /// <summary>Exit code: the configuration is wrong or the store cannot be opened.</summary>
    public const int SetupFailed = 2;

    /// <summary>Lets --config and --Archive:Key=value reach the configuration of a verb.</summary>
    public static void AcceptConfigurationTokens(Command command) => command.TreatUnmatchedTokensAsErrors = false;

    public static string[] ConfigurationArgs(ParseResult parseResult) => [.. parseResult.UnmatchedTokens];

    /// <summary>Opens the store named by the configuration, or writes why not and returns null.</summary>
    public static async Task<InstanceStore?> OpenStoreAsync(string verb, string[] args, TextWriter stderr, CancellationToken ct)
    {
        var (options, failures) = ArchiveConfiguration.LoadArchiveOptions(args);
        if (options is null)
        {
            foreach (var failure in failures)
            {
                await stderr.WriteLineAsync(failure).ConfigureAwait(false);
            }

            return null;
        }

        try
        {
            return await InstanceStore.OpenAsync(ArchiveConfiguration.ToStorageOptions(options), null, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StorageInUseException or InvalidOperationException or IOException or UnauthorizedAccessException
                                       or Microsoft.Data.Sqlite.SqliteException)
        {
            await stderr.WriteLineAsync($"{verb}: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    public static async Task WriteReportAsync(StorageReport report, TextWriter stdout)
    {
        foreach (var problem in report.Problems)
        {
            await stdout.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
        }
    }
}
