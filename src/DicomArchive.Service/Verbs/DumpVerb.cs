using System.CommandLine;
using System.Text.Json;
using DicomArchive.Dicom;
using DicomArchive.Dicom.Dump;
using DicomArchive.Dicom.Json;

namespace DicomArchive.Service.Verbs;

/// <summary>
/// `dicom-archive dump FILE [--json] [--bulk-data-threshold N]`: prints a DICOM file as text (dcmdump layout)
/// or as the DICOM JSON Model of PS3.18 F.2 (data set only, no meta information). A file that cannot be read
/// prints one line on stderr naming the file and the problem (with its byte offset) and exits with 1.
/// </summary>
internal static class DumpVerb
{
    /// <summary>The text listing abbreviates binary values, so values above this size stay in the file.</summary>
    private const long TextBulkDataThreshold = 1 << 20;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The DICOM file (Part 10, or a bare data set) to print." };
        var json = new Option<bool>("--json") { Description = "Print the data set as DICOM JSON (PS3.18 F.2) instead of text." };
        var threshold = new Option<long?>("--bulk-data-threshold")
        {
            Description = "With --json: values longer than this many bytes become a BulkDataURI (file://...?offset=&length=) instead of InlineBinary.",
        };
        var command = new Command("dump", "Print the elements of a DICOM file.") { file, json, threshold };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(file)!,
            parseResult.GetValue(json),
            parseResult.GetValue(threshold),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string path, bool json, long? bulkDataThreshold, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            await stderr.WriteLineAsync($"dump: {path}: no such file").ConfigureAwait(false);
            return 1;
        }

        if (bulkDataThreshold is < 0)
        {
            await stderr.WriteLineAsync("dump: --bulk-data-threshold must not be negative").ConfigureAwait(false);
            return 1;
        }

        var options = new DicomReaderOptions
        {
            BulkDataThreshold = json ? bulkDataThreshold ?? long.MaxValue : TextBulkDataThreshold,
        };

        DicomFile file;
        try
        {
            file = await DicomFileLoader.OpenAsync(path, options, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomContentException ex)
        {
            await stderr.WriteLineAsync($"dump: {path}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"dump: {path}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        if (json)
        {
            WriteJson(file, stdout);
        }
        else
        {
            DicomTextDumper.Write(stdout, file);
        }

        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static void WriteJson(DicomFile file, TextWriter stdout)
    {
        using var stream = new TextWriterStream(stdout);
        using (var writer = new Utf8JsonWriter(stream, DicomJsonWriter.CreateWriterOptions(indented: true)))
        {
            DicomJsonWriter.Write(writer, file.Dataset);
        }

        stdout.WriteLine();
    }
}
