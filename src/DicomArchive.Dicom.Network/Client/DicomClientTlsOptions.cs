using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace DicomArchive.Dicom.Network.Client;

/// <summary>DICOM TLS for an outgoing association (PS3.15 B.1, BCP 195: TLS 1.2 and 1.3 only).</summary>
public sealed class DicomClientTlsOptions
{
    /// <summary>The authorities the server certificate must chain to; empty trusts the system store.</summary>
    public X509Certificate2Collection TrustedAuthorities { get; init; } = [];

    /// <summary>The name the server certificate must carry; null uses the host connected to.</summary>
    public string? TargetHost { get; init; }

    /// <summary>Our certificate (with its private key), for servers that require one.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;
}
