namespace DicomArchive.Service.Tests.Parity;

/// <summary>Runs `dicom-archive dump` in-process; an exception escaping the verb is a crash, recorded as such.</summary>
internal static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Output, string Error, Exception? Crash)
    {
        public bool Succeeded => Crash is null && ExitCode == 0;

        /// <summary>A refusal as the verb promises it: exit code 1 and exactly one line on stderr.</summary>
        /// <remarks>A DicomContentException names the offset: "... (at offset N)"; anything else escaping as exit 1 is not clean.</remarks>
        public bool FailedCleanly => Crash is null && ExitCode == 1 && Output.Length == 0
            && Error.Length > 0 && Error.TrimEnd('\r', '\n').IndexOf('\n', StringComparison.Ordinal) < 0
            && Error.Contains("(at offset ", StringComparison.Ordinal);
    }

    public static Outcome Dump(string path, bool json)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args = json ? ["dump", path, "--json"] : ["dump", path];
        try
        {
            var exitCode = DicomArchiveCli.Run(args, stdout, stderr);
            return new Outcome(exitCode, stdout.ToString(), stderr.ToString(), null);
        }
#pragma warning disable CA1031 // Any exception escaping the verb is exactly what this records.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new Outcome(-1, stdout.ToString(), stderr.ToString(), ex);
        }
    }
}
