using System.CommandLine;
using DicomArchive.Storage;

namespace DicomArchive.Service.Verbs;

/// <summary>
/// `dicom-archive import FOLDER`: stores every DICOM file under a folder (recursively, any file name) through the
/// same ingest path as C-STORE, then prints a summary: imported, duplicates, rejected (each with its reason).
/// Exit code 0 when nothing was rejected, 3 when some files were, 2 when the store could not be opened.
/// </summary>
internal static class ImportVerb
{
    public const int SomeRejected = 3;

    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "The folder (or single file) to import." };
        var sourceAe = new Option<string?>("--source-ae") { Description = "Record this AE title as the sender (default: the file's Source AE Title)." };
        var command = new Command("import", "Import existing DICOM files into the archive (run with the service stopped).") { folder, sourceAe };
        StorageVerb.AcceptConfigurationTokens(command);
        command.SetAction((parseResult, ct) => RunAsync(
            parseResult.GetValue(folder)!,
            parseResult.GetValue(sourceAe) ?? string.Empty,
            StorageVerb.ConfigurationArgs(parseResult),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            ct));
        return command;
    }

    public static async Task<int> RunAsync(string folder, string sourceAe, string[] configArgs, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        IEnumerable<string> files;
        if (File.Exists(folder))
        {
            files = [folder];
        }
        else if (Directory.Exists(folder))
        {
            files = Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true });
        }
        else
        {
            await stderr.WriteLineAsync($"import: {folder}: no such file or folder").ConfigureAwait(false);
            return StorageVerb.SetupFailed;
        }

        var store = await StorageVerb.OpenStoreAsync("import", configArgs, stderr, ct).ConfigureAwait(false);
        if (store is null)
        {
            return StorageVerb.SetupFailed;
        }

        int imported = 0, duplicates = 0, rejected = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using (store.ConfigureAwait(false))
        {
            foreach (var file in files)
            {
                ct.ThrowIfCancellationRequested();
                StoreResult result;
                try
                {
                    result = await store.ImportFileAsync(file, sourceAe, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    rejected++;
                    await stdout.WriteLineAsync($"rejected: {file}: {ex.Message}").ConfigureAwait(false);
                    continue;
                }

                if (!result.IsSuccess)
                {
                    rejected++;
                    await stdout.WriteLineAsync($"rejected: {file}: 0x{result.Status:X4} {result.ErrorComment}").ConfigureAwait(false);
                }
                else if (result.IsDuplicate)
                {
                    duplicates++;
                }
                else
                {
                    imported++;
                }

                var done = imported + duplicates + rejected;
                if (done % 500 == 0)
                {
                    // Progress on stderr so that stdout stays a clean list of rejections and the summary.
                    await stderr.WriteLineAsync($"import: {done} files ({done / Math.Max(started.Elapsed.TotalSeconds, 0.001):F0}/s)").ConfigureAwait(false);
                }
            }
        }

        await stdout.WriteLineAsync($"imported {imported}, duplicates {duplicates}, rejected {rejected} in {started.Elapsed.TotalSeconds:F1} s")
            .ConfigureAwait(false);
        return rejected > 0 ? SomeRejected : 0;
    }
}
