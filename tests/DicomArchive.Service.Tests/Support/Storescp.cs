using System.Diagnostics;
using System.Globalization;
using DicomArchive.Dicom;

namespace DicomArchive.Service.Tests.Support;

/// <summary>DCMTK storescp on a loopback port writing what it receives to a folder: a C-MOVE destination.</summary>
internal sealed class Storescp : IAsyncDisposable
{
    private readonly Process process;

    private Storescp(Process process, string folder, int port)
    {
        this.process = process;
        Folder = folder;
        Port = port;
    }

    public string Folder { get; }

    public int Port { get; }

    /// <summary>Starts storescp (AE title STORESCP) with <paramref name="extraArgs"/> and waits until it listens.</summary>
    public static async Task<Storescp> StartAsync(string folder, int port, params string[] extraArgs)
    {
        Directory.CreateDirectory(folder);
        var info = new ProcessStartInfo("storescp")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["TCP_NODELAY"] = "1";
        foreach (var arg in (string[])[.. extraArgs, "-od", folder, port.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("storescp did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            // Probing with a plain connect would make storescp log a failed association; watch the socket table instead.
            if (IsListening(port))
            {
                return new Storescp(process, folder, port);
            }

            await Task.Delay(20);
        }

        process.Kill();
        throw new TimeoutException($"storescp did not listen on {port}");
    }

    /// <summary>The files received, by SOP Instance UID.</summary>
    public async Task<Dictionary<string, string>> ReceivedAsync()
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Folder))
        {
            var dicom = await DicomFileReader.OpenAsync(file, new DicomReaderOptions { StopBeforeTag = DicomTag.PixelData });
            files[dicom.Dataset.GetString(DicomTag.SOPInstanceUID)] = file;
        }

        return files;
    }

    private bool disposed;

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static bool IsListening(int port)
    {
        foreach (var endpoint in System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners())
        {
            if (endpoint.Port == port)
            {
                return true;
            }
        }

        return false;
    }
}
