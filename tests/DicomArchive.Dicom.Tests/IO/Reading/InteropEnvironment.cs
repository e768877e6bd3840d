using System.Diagnostics;

namespace DicomArchive.Dicom.Tests.IO.Reading;

/// <summary>Where the interop tests find the pydicom corpus and DCMTK; ignored when missing unless CI=true.</summary>
internal static class InteropEnvironment
{
    public const string PydicomData = "/usr/lib/python3/dist-packages/pydicom/data";

    public static IReadOnlyList<string> CorpusFiles()
    {
        var folders = new[] { Path.Combine(PydicomData, "test_files"), Path.Combine(PydicomData, "charset_files") };
        if (!Directory.Exists(folders[0]))
        {
            RequireOrIgnore("pydicom test files are not installed (apt package python3-pydicom)");
        }

        var files = new List<string>();
        foreach (var folder in folders)
        {
            if (Directory.Exists(folder))
            {
                files.AddRange(Directory.GetFiles(folder));
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Runs dcmdump on a file: true when it exits with 0 and prints no "E:" line.</summary>
    public static bool DcmdumpAccepts(string path)
    {
        var start = new ProcessStartInfo("dcmdump", ["-q", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TCP_NODELAY"] = "1";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            RequireOrIgnore("dcmdump is not installed (apt package dcmtk)");
            return false;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            stdout.Wait();
            process.WaitForExit();
            var errorLines = (stdout.Result + "\n" + stderr).Split('\n').Any(line => line.StartsWith("E:", StringComparison.Ordinal));
            return process.ExitCode == 0 && !errorLines;
        }
    }

    public static void RequireOrIgnore(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Ignore(reason);
    }
}
