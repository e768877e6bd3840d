using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>The transport of an accepted connection: the socket itself, or DICOM TLS over it (PS3.15 B.1).</summary>
internal sealed partial class ServerAssociation
{
    /// <summary>The stream the PDUs travel on; null when the TLS handshake failed (the connection is closed and logged).</summary>
    async Task<Stream?> OpenTransportAsync(CancellationToken abortToken)
    {
        var network = new NetworkStream(_socket, ownsSocket: true);
        if (_options.Tls is not { } tls)
        {
            return network;
        }

        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificate = tls.ServerCertificate,
            EnabledSslProtocols = tls.Protocols,
            ClientCertificateRequired = tls.RequireClientCertificate,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            CipherSuitesPolicy = DicomTlsOptions.CipherSuites(),
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => !tls.RequireClientCertificate
                || DicomTlsOptions.ValidateAgainst(tls.ClientCertificateAuthorities, certificate, errors, nameMustMatch: false),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abortToken);
        timeout.CancelAfter(_options.AssociationRequestTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(options, timeout.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            NetworkLog.TlsHandshakeFailed(_logger, _remote, ex.Message);
            await ssl.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }
}
