using System.Diagnostics;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>The first line a tool prints for its version option, for the report.</summary>
public static class ToolVersion
{
    public static string Of(string tool, string option)
    {
        try
        {
            var info = new ProcessStartInfo(tool, [option]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(info)!;
            var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }
}
