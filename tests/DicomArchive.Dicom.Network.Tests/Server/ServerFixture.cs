using System.Net;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Tests.Server;

internal static class ServerFixture
{
    public const string AeTitle = "TESTSCP";

    public static async Task<DicomServer> StartAsync(DicomServiceHandlers? handlers = null, Action<DicomServerOptions>? configure = null,
        Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        var options = new DicomServerOptions
        {
            AeTitle = AeTitle,
            Port = 0,
            ListenAddress = null,
            AssociationRequestTimeout = TimeSpan.FromSeconds(2),
            IdleTimeout = TimeSpan.FromSeconds(10),
            DimseTimeout = TimeSpan.FromSeconds(5),
            StopTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        var server = new DicomServer(options, handlers ?? new DicomServiceHandlers(), loggerFactory, timeProvider);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    public static int Port(this DicomServer server) => server.LocalEndPoint!.Port;

    public static DicomClientOptions ClientOptions(string called = AeTitle, string calling = "TESTSCU") => new()
    {
        CalledAeTitle = called,
        CallingAeTitle = calling,
        AssociationTimeout = TimeSpan.FromSeconds(5),
        DimseTimeout = TimeSpan.FromSeconds(10),
    };

    public static PresentationContextRequest[] EchoContexts() =>
        [new PresentationContextRequest(1, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian)];

    public static Task<DicomClient> ConnectAsync(DicomServer server, IEnumerable<PresentationContextRequest>? contexts = null,
        DicomClientOptions? options = null, string host = "127.0.0.1") =>
        DicomClient.ConnectAsync(host, server.Port(), options ?? ClientOptions(), contexts ?? EchoContexts());

    public static IPAddress Loopback6 => IPAddress.IPv6Loopback;
}
