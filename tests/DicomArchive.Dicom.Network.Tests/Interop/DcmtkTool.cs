using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DicomArchive.Dicom.Network.Tests.Interop;

/// <summary>Runs DCMTK command-line tools (apt package dcmtk) with TCP_NODELAY=1.</summary>
internal static class DcmtkTool
{
    public static string? Find(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Returns the tool's path, or ignores the test (fails it when CI=true).</summary>
    public static string Require(string name)
    {
        string? path = Find(name);
        if (path is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"{name} (DCMTK) is required in CI");
            }

            Assert.Ignore($"{name} (DCMTK) is not installed");
        }

        return path!;
    }

    public static Process Start(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(Require(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["TCP_NODELAY"] = "1";
        return Process.Start(info)!;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, string tool, params string[] arguments)
    {
        using Process process = Start(tool, arguments);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} did not finish within {timeout}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A free TCP port (bind port 0, read it, release it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on the port (a real-network wait, bounded).</summary>
    public static async Task WaitForListenerAsync(int port, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Fail($"Nothing listened on port {port} within {timeout}");
    }
}
