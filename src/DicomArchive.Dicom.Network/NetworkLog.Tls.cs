using System.Net;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Dicom.Network;

/// <summary>Log messages of DICOM TLS (event IDs 1040-1049).</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 1040, Level = LogLevel.Warning, Message = "TLS handshake with {RemoteEndPoint} failed: {Reason}")]
    public static partial void TlsHandshakeFailed(ILogger logger, EndPoint? remoteEndPoint, string reason);
}
