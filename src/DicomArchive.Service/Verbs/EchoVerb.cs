using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using DicomArchive.Dicom.Network;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Items;

namespace DicomArchive.Service.Verbs;

/// <summary>
/// `dicom-archive echo AE@host:port`: a C-ECHO (PS3.4 Annex A) to a peer, for IT troubleshooting. Prints whether the
/// association was accepted and the round-trip time of the echo; exit code 0 on success, 1 otherwise.
/// </summary>
internal static class EchoVerb
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "The peer as AE@host:port (e.g. PACS@10.0.0.5:104)." };
        var calling = new Option<string>("--calling-ae") { Description = "Our AE title in the request.", DefaultValueFactory = _ => "DICOMARCHIVE" };
        var count = new Option<int>("--count") { Description = "Echoes to send on the association.", DefaultValueFactory = _ => 1 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each step.", DefaultValueFactory = _ => 10 };
        var command = new Command("echo", "Send C-ECHO to a DICOM peer and print the round-trip time.") { target, calling, count, timeout };
        command.SetAction((parseResult, ct) => RunAsync(
            parseResult.GetValue(target)!, parseResult.GetValue(calling)!, parseResult.GetValue(count), parseResult.GetValue(timeout),
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, ct));
        return command;
    }

    public static async Task<int> RunAsync(string target, string callingAe, int count, int timeoutSeconds, TextWriter stdout, TextWriter stderr,
        CancellationToken ct)
    {
        if (!TryParseTarget(target, out var calledAe, out var host, out var port))
        {
            await stderr.WriteLineAsync($"echo: '{target}' is not AE@host:port").ConfigureAwait(false);
            return 1;
        }

        var options = new DicomClientOptions
        {
            CalledAeTitle = calledAe,
            CallingAeTitle = callingAe,
            AssociationTimeout = TimeSpan.FromSeconds(timeoutSeconds),
            DimseTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        };
        PresentationContextRequest[] contexts =
            [new(1, DicomNetworkUids.Verification, DicomNetworkUids.ExplicitVRLittleEndian, DicomNetworkUids.ImplicitVRLittleEndian)];
        try
        {
            var connect = Stopwatch.StartNew();
            await using var client = await DicomClient.ConnectAsync(host, port, options, contexts, null, ct).ConfigureAwait(false);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"association accepted by {calledAe} at {host}:{port} in {connect.Elapsed.TotalMilliseconds:F1} ms")).ConfigureAwait(false);
            for (var i = 0; i < Math.Max(1, count); i++)
            {
                var echo = Stopwatch.StartNew();
                var status = await client.EchoAsync(ct).ConfigureAwait(false);
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"C-ECHO status {status.Code:X4}H ({status.Category}) in {echo.Elapsed.TotalMilliseconds:F2} ms")).ConfigureAwait(false);
                if (!status.IsSuccess)
                {
                    return 1;
                }
            }

            await client.ReleaseAsync(ct).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is DicomAssociationRejectedException or DicomAbortException or SocketException or TimeoutException
                                       or IOException or Dicom.DicomContentException)
        {
            await stderr.WriteLineAsync($"echo: {calledAe}@{host}:{port}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    internal static bool TryParseTarget(string target, out string aeTitle, out string host, out int port)
    {
        aeTitle = host = string.Empty;
        port = 0;
        var at = target.IndexOf('@', StringComparison.Ordinal);
        var colon = target.LastIndexOf(':');
        if (at <= 0 || colon <= at + 1 || !int.TryParse(target.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        aeTitle = target[..at];
        host = target[(at + 1)..colon].Trim('[', ']');
        return aeTitle.Length <= 16;
    }
}
