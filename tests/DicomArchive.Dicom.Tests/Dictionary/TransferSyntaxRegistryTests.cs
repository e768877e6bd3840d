namespace DicomArchive.Dicom.Tests.Dictionary;

public sealed class TransferSyntaxRegistryTests
{
    [TestCase("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression")]
    [TestCase("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)")]
    [TestCase("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression")]
    [TestCase("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)")]
    [TestCase("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1")]
    [TestCase("1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression")]
    public void Lookup_CompressedSyntax_IsEncapsulatedExplicitLittleEndianWithItsName(string uid, string name)
    {
        var ts = TransferSyntax.Lookup(uid);
        ts.Name.Should().Be(name);
        ts.IsEncapsulated.Should().BeTrue();
        ts.IsExplicitVR.Should().BeTrue();
        ts.IsLittleEndian.Should().BeTrue();
        ts.IsDeflated.Should().BeFalse();
        ts.IsUncompressed.Should().BeFalse();
    }

    [Test]
    public void Lookup_WellKnownSyntax_ReturnsTheStaticInstance()
    {
        TransferSyntax.Lookup("1.2.840.10008.1.2.4.90").Should().BeSameAs(TransferSyntax.Jpeg2000Lossless);
        TransferSyntax.Lookup("1.2.840.10008.1.2.1\0").Should().BeSameAs(TransferSyntax.ExplicitVRLittleEndian);
        TransferSyntax.Lookup("1.2.840.10008.1.2.4.91").Should().BeSameAs(TransferSyntax.Lookup("1.2.840.10008.1.2.4.91"));
    }

    [Test]
    public void Lookup_JpipReferenced_IsExplicitLittleEndianWithoutPixelData()
    {
        var ts = TransferSyntax.Lookup("1.2.840.10008.1.2.4.94");
        ts.Name.Should().Be("JPIP Referenced");
        ts.IsEncapsulated.Should().BeFalse();
        ts.IsDeflated.Should().BeFalse();
        ts.IsExplicitVR.Should().BeTrue();
        ts.IsPixelDataReferenced.Should().BeTrue();
        ts.IsUncompressed.Should().BeFalse();
    }

    [TestCase("1.2.840.10008.1.2.4.95")]
    [TestCase("1.2.840.10008.1.2.4.205")]
    public void Lookup_JpipReferencedDeflate_IsDeflatedExplicitLittleEndian(string uid)
    {
        // PS3.5 A.7: the whole data set is deflated; there is no Pixel Data to encapsulate.
        var ts = TransferSyntax.Lookup(uid);
        ts.IsDeflated.Should().BeTrue();
        ts.IsEncapsulated.Should().BeFalse();
        ts.IsExplicitVR.Should().BeTrue();
        ts.IsLittleEndian.Should().BeTrue();
    }

    [Test]
    public void Lookup_Papyrus3_IsImplicitLittleEndian()
    {
        var ts = TransferSyntax.Lookup("1.2.840.10008.1.20");
        ts.IsExplicitVR.Should().BeFalse();
        ts.IsEncapsulated.Should().BeFalse();
        ts.IsRetired.Should().BeTrue();
    }

    [Test]
    public void Lookup_UnregisteredUid_IsEncapsulatedWithoutName()
    {
        var ts = TransferSyntax.Lookup("1.2.3.4.5");
        ts.Name.Should().BeEmpty();
        ts.IsEncapsulated.Should().BeTrue();
        ts.IsExplicitVR.Should().BeTrue();
    }

    [Test]
    public void All_HoldsEveryRegisteredTransferSyntax()
    {
        TransferSyntax.All.Should().HaveCount(63);
        TransferSyntax.All.Should().OnlyContain(ts => ts.Name.Length > 0);
        TransferSyntax.All.Should().Contain(TransferSyntax.ImplicitVRLittleEndian);
        TransferSyntax.All.Should().OnlyContain(ts => ReferenceEquals(TransferSyntax.Lookup(ts.Uid), ts));
        TransferSyntax.All.Where(ts => ts.IsUncompressed).Should().BeEquivalentTo(
            [TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian,
             TransferSyntax.Lookup("1.2.840.10008.1.20")]);
    }
}
