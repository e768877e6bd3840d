using System.Diagnostics;

namespace DicomArchive.Service.Tests.Support;

/// <summary>Runs DCMTK command-line tools (with TCP_NODELAY=1: DCMTK keeps Nagle on otherwise).</summary>
internal static class Dcmtk
{
    public static bool IsInstalled(string tool = "storescu") =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, tool)));

    /// <summary>Skips the test when the tool is missing, except in CI (CI=true), where a missing tool is a failure.</summary>
    public static void Require(string tool)
    {
        if (IsInstalled(tool))
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{tool} (DCMTK) is not installed; .ci/run installs the dcmtk package");
        }

        Assert.Ignore($"{tool} (DCMTK) is not installed");
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["TCP_NODELAY"] = "1";
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException(tool + " did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish in time");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    public static string PydicomTestFiles => "/usr/lib/python3/dist-packages/pydicom/data/test_files";
}
