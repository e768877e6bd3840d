using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Service.Configuration;

/// <summary>
/// The "Archive:Tls" section: DICOM TLS (PS3.15 B.1, BCP 195) on its own port beside the plain one. Off while
/// <see cref="Port"/> is 0. The certificate password is a secret: it is never logged nor echoed by the validator.
/// </summary>
public sealed class ArchiveTlsOptions
{
    /// <summary>The DICOM TLS port (2762 is registered for it); 0 serves no TLS.</summary>
    public int Port { get; set; }

    /// <summary>The server certificate: a PEM file (with <see cref="KeyPath"/>) or a PKCS#12 .pfx/.p12 file.</summary>
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>The PEM private key of the certificate (empty for PKCS#12 or a PEM holding both).</summary>
    public string KeyPath { get; set; } = string.Empty;

    /// <summary>The PKCS#12 password, if any (better given by environment variable than in the file).</summary>
    public string CertificatePassword { get; set; } = string.Empty;

    /// <summary>PEM bundle of the authorities client certificates must chain to.</summary>
    public string ClientCaPath { get; set; } = string.Empty;

    /// <summary>Refuse TLS callers without a certificate issued by <see cref="ClientCaPath"/>.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>Whether the plain (non-TLS) port is served too; false leaves TLS as the only way in.</summary>
    public bool KeepPlainPort { get; set; } = true;

    /// <summary>Outgoing TLS (peers marked Tls): the CA file their certificates must chain to; empty trusts the system store.</summary>
    public string PeerCaPath { get; set; } = string.Empty;

    /// <summary>Outgoing TLS: our certificate (PEM with ClientKeyPath, or PKCS#12) for peers that require one; empty sends none.</summary>
    public string ClientCertificatePath { get; set; } = string.Empty;

    /// <summary>Outgoing TLS: the private key of <see cref="ClientCertificatePath"/> (PEM).</summary>
    public string ClientKeyPath { get; set; } = string.Empty;

    /// <summary>The client TLS settings for an association to a peer marked Tls.</summary>
    internal Dicom.Network.Client.DicomClientTlsOptions ToClientTls(string peerHost) => new()
    {
        TrustedAuthorities = string.IsNullOrEmpty(PeerCaPath) ? [] : DicomTlsOptions.LoadAuthorities(PeerCaPath),
        TargetHost = peerHost,
        ClientCertificate = string.IsNullOrEmpty(ClientCertificatePath)
            ? null
            : DicomTlsOptions.LoadCertificate(ClientCertificatePath, string.IsNullOrEmpty(ClientKeyPath) ? null : ClientKeyPath,
                string.IsNullOrEmpty(CertificatePassword) ? null : CertificatePassword),
    };

    /// <summary>Loads the certificate and CA files (at start) into the network layer's TLS settings.</summary>
    internal DicomTlsOptions ToServerTls() => new()
    {
        ServerCertificate = DicomTlsOptions.LoadCertificate(CertificatePath, string.IsNullOrEmpty(KeyPath) ? null : KeyPath,
            string.IsNullOrEmpty(CertificatePassword) ? null : CertificatePassword),
        RequireClientCertificate = RequireClientCertificate,
        ClientCertificateAuthorities = string.IsNullOrEmpty(ClientCaPath) ? [] : DicomTlsOptions.LoadAuthorities(ClientCaPath),
    };

    /// <summary>Problems with these values, each naming its key (empty when valid or when TLS is off).</summary>
    internal IEnumerable<string> Validate(string section)
    {
        if (!string.IsNullOrEmpty(PeerCaPath) && !File.Exists(PeerCaPath))
        {
            yield return $"{section}:PeerCaPath: '{PeerCaPath}' does not exist";
        }

        if (!string.IsNullOrEmpty(ClientCertificatePath) && !File.Exists(ClientCertificatePath))
        {
            yield return $"{section}:ClientCertificatePath: '{ClientCertificatePath}' does not exist";
        }

        if (Port == 0)
        {
            yield break;
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"{section}:Port: {Port} is not a TCP port (1-65535)";
        }

        if (string.IsNullOrWhiteSpace(CertificatePath) || !File.Exists(CertificatePath))
        {
            yield return $"{section}:CertificatePath: '{CertificatePath}' is not a readable certificate file";
        }

        if (!string.IsNullOrEmpty(KeyPath) && !File.Exists(KeyPath))
        {
            yield return $"{section}:KeyPath: '{KeyPath}' does not exist";
        }

        if (RequireClientCertificate && (string.IsNullOrWhiteSpace(ClientCaPath) || !File.Exists(ClientCaPath)))
        {
            yield return $"{section}:ClientCaPath: '{ClientCaPath}' must name the CA file when RequireClientCertificate is true";
        }
    }
}
