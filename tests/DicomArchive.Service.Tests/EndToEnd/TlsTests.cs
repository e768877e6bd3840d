using System.Globalization;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Tests.Support;

namespace DicomArchive.Service.Tests.EndToEnd;

/// <summary>
/// DICOM TLS (PS3.15 B.1, BCP 195) on its own port beside the plain one, with certificates made by the test:
/// our SCU and DCMTK's echoscu/storescu over TLS, untrusted servers and clients without a certificate refused.
/// </summary>
[NonParallelizable]
public sealed class TlsTests
{
    private string root = null!;
    private TestCertificates certificates = null!;

    [SetUp]
    public void SetUp()
    {
        root = TestInstances.NewTempFolder("tls");
        certificates = TestCertificates.Create(Path.Combine(root, "pki"));
    }

    [TearDown]
    public void TearDown()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing on a slow machine: the temp folder is cleaned another time.
        }
    }

    private Task<ArchiveProcess> StartAsync(int tlsPort, bool requireClientCertificate) =>
        ArchiveProcess.StartAsync(root, null,
            $"--Archive:Tls:Port={tlsPort}",
            $"--Archive:Tls:CertificatePath={certificates.ServerCertificatePath}",
            $"--Archive:Tls:KeyPath={certificates.ServerKeyPath}",
            $"--Archive:Tls:ClientCaPath={certificates.CaPath}",
            $"--Archive:Tls:RequireClientCertificate={requireClientCertificate}");

    private Task<DicomClient> ConnectAsync(int port, string trustedCa, bool withClientCertificate, SslProtocols? protocols = null)
    {
        var tls = new DicomClientTlsOptions
        {
            TrustedAuthorities = DicomTlsOptions.LoadAuthorities(trustedCa),
            TargetHost = "localhost",
            ClientCertificate = withClientCertificate
                ? DicomTlsOptions.LoadCertificate(certificates.ClientCertificatePath, certificates.ClientKeyPath)
                : null,
            Protocols = protocols ?? (SslProtocols.Tls12 | SslProtocols.Tls13),
        };
        var options = new DicomClientOptions
        {
            CalledAeTitle = "DICOMARCHIVE", CallingAeTitle = "TESTSCU", AssociationTimeout = TimeSpan.FromSeconds(10), Tls = tls,
        };
        return DicomClient.ConnectAsync("127.0.0.1", port, options,
        [
            new PresentationContextRequest(1, "1.2.840.10008.1.1", "1.2.840.10008.1.2"),
            new PresentationContextRequest(3, TestInstances.CtImageStorage, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"),
        ]);
    }

    [Test]
    public async Task Move_ToPeerMarkedTls_InstancesArriveOverTlsWithOurClientCertificate()
    {
        // Destination: a second archive that accepts only TLS with a client certificate.
        var destinationRoot = Path.Combine(root, "destination");
        Directory.CreateDirectory(destinationRoot);
        var destinationTls = ArchiveProcess.FreePort();
        await using var destination = await ArchiveProcess.StartAsync(destinationRoot, null,
            "--Archive:AeTitle=ARCHIVEB",
            $"--Archive:Tls:Port={destinationTls}",
            $"--Archive:Tls:CertificatePath={certificates.ServerCertificatePath}",
            $"--Archive:Tls:KeyPath={certificates.ServerKeyPath}",
            $"--Archive:Tls:ClientCaPath={certificates.CaPath}",
            "--Archive:Tls:RequireClientCertificate=true");

        // Source: knows ARCHIVEB as a TLS peer, trusts its CA and presents the client certificate.
        var sourceRoot = Path.Combine(root, "source");
        Directory.CreateDirectory(sourceRoot);
        await using var source = await ArchiveProcess.StartAsync(sourceRoot, null,
            "--Archive:Peers:0:AeTitle=ARCHIVEB",
            "--Archive:Peers:0:Host=localhost",
            $"--Archive:Peers:0:Port={destinationTls}",
            "--Archive:Peers:0:Tls=true",
            $"--Archive:Tls:PeerCaPath={certificates.CaPath}",
            $"--Archive:Tls:ClientCertificatePath={certificates.ClientCertificatePath}",
            $"--Archive:Tls:ClientKeyPath={certificates.ClientKeyPath}");
        const string study = "1.2.826.0.1.3680043.10.9";
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 3, study);
        await using var client = await DicomClient.ConnectAsync("127.0.0.1", source.Port,
            new DicomClientOptions { CalledAeTitle = "DICOMARCHIVE", CallingAeTitle = "TESTSCU" },
        [
            new PresentationContextRequest(1, TestInstances.CtImageStorage, "1.2.840.10008.1.2.1"),
            new PresentationContextRequest(3, "1.2.840.10008.5.1.4.1.2.2.2", "1.2.840.10008.1.2.1"),
        ]);
        foreach (var file in files)
        {
            (await client.StoreFileAsync(file)).Status!.Value.IsSuccess.Should().BeTrue();
        }

        var identifier = new Dicom.DicomDataset();
        identifier.AddOrUpdate(Dicom.DicomTag.QueryRetrieveLevel, "STUDY").AddOrUpdate(Dicom.DicomTag.StudyInstanceUID, study);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Dicom.DicomDatasetWriter.Write(buffer, identifier, Dicom.TransferSyntax.ExplicitVRLittleEndian);
        Dicom.Network.Dimse.DimseResponse? last = null;
        await foreach (var response in client.MoveAsync("1.2.840.10008.5.1.4.1.2.2.2", "ARCHIVEB", buffer.WrittenMemory))
        {
            last = response;
        }

        last!.Status.IsSuccess.Should().BeTrue(source.Output);
        last.Command.CompletedSuboperations.Should().Be(3);
        Directory.GetFiles(destination.StorageRoot, "*.dcm", SearchOption.AllDirectories).Should().HaveCount(3);
    }

    [Test]
    public async Task Tls_OurScuWithClientCertificate_EchoAndStoreSucceedPlainPortStillServes()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 2);
        var tlsPort = ArchiveProcess.FreePort();
        await using var archive = await StartAsync(tlsPort, requireClientCertificate: true);

        await using (var client = await ConnectAsync(tlsPort, certificates.CaPath, withClientCertificate: true))
        {
            (await client.EchoAsync()).IsSuccess.Should().BeTrue();
            (await client.StoreFileAsync(files[0])).Status!.Value.IsSuccess.Should().BeTrue();
            await client.ReleaseAsync();
        }

        await using (var plain = await StoreEndToEndTests.ConnectAsync(archive.Port))
        {
            (await plain.StoreFileAsync(files[1])).Status!.Value.IsSuccess.Should().BeTrue();
            await plain.ReleaseAsync();
        }

        Directory.GetFiles(archive.StorageRoot, "*.dcm", SearchOption.AllDirectories).Should().HaveCount(2);
        archive.Output.Should().Contain("listening with DICOM TLS");
    }

    [Test]
    public async Task Tls_ClientWithoutCertificateWhenRequired_Refused()
    {
        var tlsPort = ArchiveProcess.FreePort();
        await using var archive = await StartAsync(tlsPort, requireClientCertificate: true);

        var act = () => ConnectAsync(tlsPort, certificates.CaPath, withClientCertificate: false);

        await act.Should().ThrowAsync<Exception>();
        await using var plain = await StoreEndToEndTests.ConnectAsync(archive.Port);
        (await plain.EchoAsync()).IsSuccess.Should().BeTrue("the archive keeps serving");
        await plain.ReleaseAsync();
    }

    /// <summary>
    /// BCP 195 forbids TLS 1.1. The server offers only 1.2 and 1.3; on most hosts the client's own OpenSSL also refuses
    /// 1.1 (security level), so this proves no 1.1 session forms, not which side said no.
    /// </summary>
    [Test]
    public async Task Tls_Tls11OnlyClient_NoHandshake()
    {
        var tlsPort = ArchiveProcess.FreePort();
        await using var archive = await StartAsync(tlsPort, requireClientCertificate: false);

#pragma warning disable SYSLIB0039 // TLS 1.1 on purpose: it must fail.
        var act = () => ConnectAsync(tlsPort, certificates.CaPath, withClientCertificate: false, SslProtocols.Tls11);
#pragma warning restore SYSLIB0039

        await act.Should().ThrowAsync<Exception>();
    }

    [Test]
    public async Task Tls_ClientCertificateOptional_AnonymousClientAccepted()
    {
        var tlsPort = ArchiveProcess.FreePort();
        await using var archive = await StartAsync(tlsPort, requireClientCertificate: false);

        await using var client = await ConnectAsync(tlsPort, certificates.CaPath, withClientCertificate: false);

        (await client.EchoAsync()).IsSuccess.Should().BeTrue();
        await client.ReleaseAsync();
    }

    [Test]
    public async Task Tls_ServerNotSignedByTrustedAuthority_ClientRefusesHandshake()
    {
        var tlsPort = ArchiveProcess.FreePort();
        await using var archive = await StartAsync(tlsPort, requireClientCertificate: false);

        var act = () => ConnectAsync(tlsPort, certificates.OtherCaPath, withClientCertificate: false);

        await act.Should().ThrowAsync<AuthenticationException>();
    }

    [Test]
    public async Task Tls_PlainDicomOnTlsPort_NoAssociation()
    {
        var tlsPort = ArchiveProcess.FreePort();
        await using var archive = await StartAsync(tlsPort, requireClientCertificate: false);

        var act = () => StoreEndToEndTests.ConnectAsync(tlsPort);

        await act.Should().ThrowAsync<Exception>("an A-ASSOCIATE-RQ in clear text is not a TLS ClientHello");
    }

    [Test]
    [Category("Interop")]
    public async Task Tls_DcmtkEchoscuAndStorescuWithBcp195Profile_Succeed()
    {
        Dcmtk.Require("echoscu");
        Dcmtk.Require("storescu");
        var (_, help) = await Dcmtk.RunAsync("echoscu", ["--help"]);
        if (!help.Contains("+tls", StringComparison.Ordinal))
        {
            Assert.Ignore("this DCMTK build has no TLS support");
        }

        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 1);
        var tlsPort = ArchiveProcess.FreePort();
        await using var archive = await StartAsync(tlsPort, requireClientCertificate: true);
        var port = tlsPort.ToString(CultureInfo.InvariantCulture);
        string[] tls = ["+tls", certificates.ClientKeyPath, certificates.ClientCertificatePath, "+cf", certificates.CaPath, "-aec", "DICOMARCHIVE"];

        var (code, output) = await Dcmtk.RunAsync("echoscu", [.. tls, "127.0.0.1", port]);
        code.Should().Be(0, output);

        (code, output) = await Dcmtk.RunAsync("storescu", ["-v", .. tls, "127.0.0.1", port, files[0]]);
        code.Should().Be(0, output);
        output.Should().Contain("Received Store Response (Success)");

        // Anonymous TLS (no client certificate) is refused while certificates are required.
        (code, output) = await Dcmtk.RunAsync("echoscu", ["+tla", "+cf", certificates.CaPath, "-aec", "DICOMARCHIVE", "127.0.0.1", port]);
        code.Should().NotBe(0, output);
    }
}
