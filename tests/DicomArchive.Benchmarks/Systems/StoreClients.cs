using System.Diagnostics;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Items;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>What one client run did: wall time from the first connection to the last release, and failures seen.</summary>
public sealed record ClientResult(TimeSpan Elapsed, int Failures, string? Error);

/// <summary>A C-STORE client that sends a file list over N concurrent associations.</summary>
public interface IStoreClient
{
    string Name { get; }

    string? Unavailable();

    Task<ClientResult> SendAsync(RunningServer server, IReadOnlyList<string> files, int associations, CancellationToken ct);

    /// <summary>File i goes to association i mod N, so every association gets the same mix.</summary>
    static List<string>[] Split(IReadOnlyList<string> files, int associations)
    {
        var slices = Enumerable.Range(0, associations).Select(_ => new List<string>()).ToArray();
        for (var i = 0; i < files.Count; i++)
        {
            slices[i % associations].Add(files[i]);
        }

        return slices;
    }
}

/// <summary>
/// DCMTK storescu, one process per association, each with an explicit file list, TCP_NODELAY=1. storescu proposes
/// the files' SOP classes in explicit and implicit VR little endian and advertises a 16 KiB receive PDU.
/// A run fails when a process exits non-zero or prints an error or warning (a refused store).
/// </summary>
public sealed class StorescuClient : IStoreClient
{
    public string Name => "storescu";

    public string? Unavailable() => File.Exists("/usr/bin/storescu") ? null : "storescu not installed";

    public async Task<ClientResult> SendAsync(RunningServer server, IReadOnlyList<string> files, int associations, CancellationToken ct)
    {
        var slices = IStoreClient.Split(files, associations);
        var processes = new List<Process>();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            foreach (var slice in slices)
            {
                var info = new ProcessStartInfo("storescu")
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                info.Environment["TCP_NODELAY"] = "1";
                foreach (var arg in (string[])["-aet", "BENCHSCU", "-aec", server.CalledAeTitle, "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                {
                    info.ArgumentList.Add(arg);
                }

                foreach (var file in slice)
                {
                    info.ArgumentList.Add(file);
                }

                processes.Add(Process.Start(info)!);
            }

            var outputs = await Task.WhenAll(processes.Select(async p =>
            {
                var stdout = p.StandardOutput.ReadToEndAsync(ct);
                var stderr = p.StandardError.ReadToEndAsync(ct);
                await p.WaitForExitAsync(ct);
                return (p.ExitCode, Text: await stdout + await stderr);
            }));
            stopwatch.Stop();
            var failures = outputs.Count(o => o.ExitCode != 0 || o.Text.Contains("E: ", StringComparison.Ordinal) || o.Text.Contains("W: ", StringComparison.Ordinal));
            var error = outputs.Where(o => o.Text.Length > 0).Select(o => o.Text).FirstOrDefault();
            return new ClientResult(stopwatch.Elapsed, failures, failures > 0 ? Truncate(error) : null);
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }

                p.Dispose();
            }
        }
    }

    private static string? Truncate(string? text) => text is { Length: > 500 } ? text[..500] : text;
}

/// <summary>
/// Our own SCU (DicomClient) in this process: N associations in parallel, each proposing MR, CT and multi-frame
/// Secondary Capture storage; the data set is streamed from the file (never whole in memory).
/// </summary>
public sealed class OwnScuClient : IStoreClient
{
    public string Name => "DicomClient";

    public string? Unavailable() => null;

    public async Task<ClientResult> SendAsync(RunningServer server, IReadOnlyList<string> files, int associations, CancellationToken ct)
    {
        var slices = IStoreClient.Split(files, associations);
        var failures = 0;
        string? error = null;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(slices.Select(async slice =>
        {
            try
            {
                var options = new DicomClientOptions { CalledAeTitle = server.CalledAeTitle, CallingAeTitle = "BENCHSCU", MaxPduLength = 16384 };
                PresentationContextRequest[] contexts =
                [
                    new(1, Corpus.MrDatasetBuilder.SopClassUid, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"),
                    new(3, Corpus.CtDatasetBuilder.SopClassUid, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"),
                    new(5, Corpus.MultiFrameWriter.SopClassUid, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"),
                ];
                await using var client = await DicomClient.ConnectAsync("127.0.0.1", server.Port, options, contexts, cancellationToken: ct);
                foreach (var file in slice)
                {
                    var response = await client.StoreFileAsync(file, ct);
                    if (response.Status is not { IsSuccess: true })
                    {
                        Interlocked.Increment(ref failures);
                        error ??= $"{Path.GetFileName(file)}: status {response.Status}";
                    }
                }

                await client.ReleaseAsync(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref failures);
                error ??= ex.GetType().Name + ": " + ex.Message;
            }
        }));
        stopwatch.Stop();
        return new ClientResult(stopwatch.Elapsed, failures, error);
    }
}
