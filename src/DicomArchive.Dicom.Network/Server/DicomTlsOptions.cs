using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>
/// DICOM TLS for a <see cref="DicomServer"/> (PS3.15 B.1 and the BCP 195 profile of B.9): TLS 1.2 and 1.3 only,
/// AEAD cipher suites with forward secrecy where the platform lets us choose them, and optionally a required client
/// certificate issued by a configured certificate authority.
/// </summary>
public sealed class DicomTlsOptions
{
    /// <summary>The server certificate, with its private key.</summary>
    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>Whether a caller must present a certificate that chains to <see cref="ClientCertificateAuthorities"/>.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>The authorities a client certificate must chain to (custom root trust; the system store is not used).</summary>
    public X509Certificate2Collection ClientCertificateAuthorities { get; init; } = [];

    /// <summary>BCP 195: TLS 1.2 and 1.3; SSL 3, TLS 1.0 and 1.1 are never offered.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Loads the server certificate from a PEM certificate and key, or from a PKCS#12 (.pfx/.p12) file.</summary>
    /// <param name="certificatePath">PEM certificate (with <paramref name="keyPath"/>) or PKCS#12 file.</param>
    /// <param name="keyPath">PEM private key; null for PKCS#12 (or a PEM file holding both).</param>
    /// <param name="password">The PKCS#12 password; null when none.</param>
    public static X509Certificate2 LoadCertificate(string certificatePath, string? keyPath, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        string extension = Path.GetExtension(certificatePath);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password);
        }

        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // An ephemeral PEM key cannot be used by every platform's TLS stack: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Loads every certificate of a PEM bundle (the trusted CA file).</summary>
    public static X509Certificate2Collection LoadAuthorities(string pemPath)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(pemPath);
        return collection;
    }

    /// <summary>BCP 195 (RFC 9325 4.2) recommended suites: ECDHE with AES-GCM or ChaCha20-Poly1305, and TLS 1.3's.</summary>
    internal static CipherSuitesPolicy? CipherSuites() => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()
        ? new CipherSuitesPolicy(
        [
            TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        ])
        : null;

    /// <summary>Validates a peer certificate against <paramref name="authorities"/> only (custom root trust, no revocation lookup).</summary>
    internal static bool ValidateAgainst(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors,
        bool nameMustMatch)
    {
        if (certificate is null)
        {
            return false;
        }

        if (nameMustMatch && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using X509Certificate2 leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return authorities.Count > 0 && chain.Build(leaf);
    }
}
