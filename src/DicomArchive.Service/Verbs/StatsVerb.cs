using System.CommandLine;
using System.Globalization;
using DicomArchive.Service.Hosting;
using DicomArchive.Storage;

namespace DicomArchive.Service.Verbs;

/// <summary>`dicom-archive stats`: counts per level, storage used and free disk; safe while the service runs.</summary>
internal static class StatsVerb
{
    public static Command Create()
    {
        var command = new Command("stats", "Print how many patients, studies, series and instances are stored, the space they use and the free disk.");
        StorageVerb.AcceptConfigurationTokens(command);
        command.SetAction((parseResult, ct) => RunAsync(
            StorageVerb.ConfigurationArgs(parseResult), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, ct));
        return command;
    }

    public static async Task<int> RunAsync(string[] configArgs, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var (options, failures) = ArchiveConfiguration.LoadArchiveOptions(configArgs);
        if (options is null)
        {
            foreach (var failure in failures)
            {
                await stderr.WriteLineAsync(failure).ConfigureAwait(false);
            }

            return StorageVerb.SetupFailed;
        }

        StorageStatistics stats;
        try
        {
            stats = await StorageStatistics.ReadAsync(ArchiveConfiguration.ToStorageOptions(options), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            await stderr.WriteLineAsync($"stats: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var c = CultureInfo.InvariantCulture;
        await stdout.WriteLineAsync(string.Create(c, $"patients   {stats.Patients,12:N0}")).ConfigureAwait(false);
        await stdout.WriteLineAsync(string.Create(c, $"studies    {stats.Studies,12:N0}")).ConfigureAwait(false);
        await stdout.WriteLineAsync(string.Create(c, $"series     {stats.Series,12:N0}")).ConfigureAwait(false);
        await stdout.WriteLineAsync(string.Create(c, $"instances  {stats.Instances,12:N0}")).ConfigureAwait(false);
        await stdout.WriteLineAsync(string.Create(c, $"stored     {stats.BytesStored / 1048576.0,12:N1} MB")).ConfigureAwait(false);
        await stdout.WriteLineAsync(stats.FreeDiskBytes is { } free
            ? string.Create(c, $"free disk  {free / 1073741824.0,12:N1} GB")
            : "free disk  unknown").ConfigureAwait(false);
        return 0;
    }
}
