using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DicomArchive.Service.Tests.Support;

/// <summary>A throw-away certificate authority with a server and a client certificate, written as PEM files.</summary>
internal sealed class TestCertificates
{
    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    public string CaPath => Path.Combine(Folder, "ca.crt");

    public string ServerCertificatePath => Path.Combine(Folder, "server.crt");

    public string ServerKeyPath => Path.Combine(Folder, "server.key");

    public string ClientCertificatePath => Path.Combine(Folder, "client.crt");

    public string ClientKeyPath => Path.Combine(Folder, "client.key");

    /// <summary>A second, unrelated authority (its certificate only), for "untrusted" cases.</summary>
    public string OtherCaPath => Path.Combine(Folder, "other-ca.crt");

    public static TestCertificates Create(string folder)
    {
        Directory.CreateDirectory(folder);
        var certificates = new TestCertificates(folder);
        using var caKey = RSA.Create(2048);
        using var ca = SelfSignedAuthority("CN=DicomArchive Test CA", caKey);
        File.WriteAllText(certificates.CaPath, ca.ExportCertificatePem());
        using (var otherKey = RSA.Create(2048))
        using (var other = SelfSignedAuthority("CN=Some Other CA", otherKey))
        {
            File.WriteAllText(certificates.OtherCaPath, other.ExportCertificatePem());
        }

        Issue(ca, "CN=localhost", serverAuth: true, certificates.ServerCertificatePath, certificates.ServerKeyPath);
        Issue(ca, "CN=TESTSCU", serverAuth: false, certificates.ClientCertificatePath, certificates.ClientKeyPath);
        return certificates;
    }

    private static X509Certificate2 SelfSignedAuthority(string subject, RSA key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static void Issue(X509Certificate2 ca, string subject, bool serverAuth, string certificatePath, string keyPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }
}
