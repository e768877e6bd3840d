using System.CommandLine;
using System.Runtime.InteropServices;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Benchmarks.Cli;

/// <summary>
/// `sink --port P`: our DICOM server (the network layer the archive runs on) with a C-STORE handler that reads every
/// data set to its end and discards it: the protocol-only counterpart of `storescp --ignore` (issue 3's comparison).
/// Runs until SIGTERM or Ctrl+C.
/// </summary>
public static class SinkVerb
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on.", Required = true };
        var pdu = new Option<int>("--max-pdu") { Description = "Largest PDU accepted (storescp's is 16384).", DefaultValueFactory = _ => 16384 };
        var command = new Command("sink", "Run our DICOM server with a C-STORE handler that discards (protocol-only benchmark peer).") { port, pdu };
        command.SetAction((parseResult, ct) => RunAsync(parseResult.GetValue(port), parseResult.GetValue(pdu), ct));
        return command;
    }

    private static async Task<int> RunAsync(int port, int maxPdu, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        var options = new DicomServerOptions { AeTitle = "SINK", Port = port, MaxPduLength = maxPdu, CheckCalledAeTitle = false };
        await using var server = new DicomServer(options, new DicomServiceHandlers { Store = new DiscardingStoreHandler() });
        await server.StartAsync(stop.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopped: fall through to a graceful stop.
        }

        await server.StopAsync(CancellationToken.None);
        return 0;
    }

    private sealed class DiscardingStoreHandler : IStoreHandler
    {
        public async ValueTask<DimseStatus> OnStoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            await dataSet.CopyToAsync(Stream.Null, 64 * 1024, cancellationToken);
            return DimseStatus.Success;
        }
    }
}
