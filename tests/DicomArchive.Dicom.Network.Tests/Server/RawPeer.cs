using System.Diagnostics;
using System.Net.Sockets;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Tests.Server;

/// <summary>A misbehaving peer on a raw TCP socket.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    readonly TcpClient _client;
    readonly NetworkStream _stream;

    RawPeer(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawPeer> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port);
        return new RawPeer(client);
    }

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    public void ShutdownSend() => _client.Client.Shutdown(SocketShutdown.Send);

    /// <summary>Sends a valid A-ASSOCIATE-RQ for Verification and reads the A-ASSOCIATE-AC.</summary>
    public async Task AssociateAsync(string abstractSyntax = DicomNetworkUids.Verification)
    {
        var rq = new AAssociateRq { CalledAeTitle = ServerFixture.AeTitle, CallingAeTitle = "RAWPEER" };
        rq.PresentationContexts.Add(new PresentationContextRequest(1, abstractSyntax, DicomNetworkUids.ImplicitVRLittleEndian));
        rq.UserInformation.MaximumLength = 16384;
        await SendAsync(rq.ToArray());
        byte[] header = new byte[6];
        await _stream.ReadExactlyAsync(header);
        header[0].Should().Be((byte)PduType.AAssociateAc);
        int length = (header[2] << 24) | (header[3] << 16) | (header[4] << 8) | header[5];
        await _stream.ReadExactlyAsync(new byte[length]);
    }

    /// <summary>Sends an A-ASSOCIATE-RQ without waiting for an answer.</summary>
    public async Task AssociateAsyncUnchecked()
    {
        var rq = new AAssociateRq { CalledAeTitle = ServerFixture.AeTitle, CallingAeTitle = "RAWPEER" };
        rq.PresentationContexts.Add(new PresentationContextRequest(1, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian));
        await SendAsync(rq.ToArray());
    }

    /// <summary>Reads one P-DATA-TF holding a whole command set and decodes it.</summary>
    public async Task<DicomArchive.Dicom.Network.Dimse.DimseCommand> ReadCommandAsync()
    {
        byte[] header = new byte[6];
        await _stream.ReadExactlyAsync(header);
        header[0].Should().Be((byte)PduType.PDataTf);
        int length = (header[2] << 24) | (header[3] << 16) | (header[4] << 8) | header[5];
        byte[] body = new byte[length];
        await _stream.ReadExactlyAsync(body);
        PDataTf pdu = PDataTf.Decode(body);
        pdu.Values[0].IsCommand.Should().BeTrue();
        return DicomArchive.Dicom.Network.Dimse.DimseCommandCodec.Decode(pdu.Values[0].Fragment.Span);
    }

    /// <summary>Reads until the server closes the connection; returns what arrived and how long it took.</summary>
    public async Task<(byte[] Received, TimeSpan Elapsed)> ReadUntilClosedAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        byte[] buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer, cts.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset by the server: closed as well.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The server did not close the connection within {timeout}");
        }

        return (received.ToArray(), watch.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
