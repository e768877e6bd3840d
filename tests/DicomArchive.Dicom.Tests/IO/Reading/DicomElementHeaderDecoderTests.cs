namespace DicomArchive.Dicom.Tests.IO.Reading;

public sealed class DicomElementHeaderDecoderTests
{
    // PS3.5 7.1.3: implicit VR little endian, tag then 32-bit length.
    [TestCase("10001000 08000000", false, true, 0x00100010u, DicomVR.None, 8u, 8)]
    // PS3.5 7.1.2 Table 7.1-2: explicit VR, 16-bit length.
    [TestCase("10001000 504E 0800", true, true, 0x00100010u, DicomVR.PN, 8u, 8)]
    // PS3.5 7.1.2 Table 7.1-1: explicit VR, reserved 0000, 32-bit length.
    [TestCase("E07F1000 4F42 0000 00010000", true, true, 0x7FE00010u, DicomVR.OB, 256u, 12)]
    [TestCase("08000511 5351 0000 FFFFFFFF", true, true, 0x00081105u, DicomVR.SQ, 0xFFFFFFFFu, 12)]
    // PS3.5 7.3: explicit VR big endian: tag and length big endian, VR as ASCII.
    [TestCase("00100010 504E 0008", true, false, 0x00100010u, DicomVR.PN, 8u, 8)]
    [TestCase("7FE00010 4F57 0000 00000100", true, false, 0x7FE00010u, DicomVR.OW, 256u, 12)]
    // PS3.5 7.5: items and delimiters have no VR in any syntax.
    [TestCase("FEFF00E0 FFFFFFFF", true, true, 0xFFFEE000u, DicomVR.None, 0xFFFFFFFFu, 8)]
    [TestCase("FFFEE0DD 00000000", true, false, 0xFFFEE0DDu, DicomVR.None, 0u, 8)]
    [TestCase("FEFF0DE0 00000000", false, true, 0xFFFEE00Du, DicomVR.None, 0u, 8)]
    public void TryReadElementHeader_StandardLayouts_Decodes(
        string hex, bool explicitVR, bool littleEndian, uint tag, DicomVR vr, uint length, int consumed)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

        DicomElementHeaderDecoder.TryReadElementHeader(bytes, explicitVR, littleEndian, out var header, out var bytesConsumed)
            .Should().BeTrue();

        header.Should().Be(new DicomElementHeader(new DicomTag(tag), vr, length));
        bytesConsumed.Should().Be(consumed);
    }

    [TestCase("E07F1000 4F42 0000 00010000", true)]
    [TestCase("10001000 504E 0800", true)]
    [TestCase("10001000 08000000", false)]
    public void TryReadElementHeader_Truncated_ReturnsFalseAndConsumesNothing(string hex, bool explicitVR)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        for (var length = 0; length < bytes.Length; length++)
        {
            DicomElementHeaderDecoder.TryReadElementHeader(bytes.AsSpan(0, length), explicitVR, true, out var header, out var consumed)
                .Should().BeFalse($"{length} bytes are not a whole header");
            consumed.Should().Be(0);
            header.Should().Be(default(DicomElementHeader));
        }
    }

    [Test]
    public void TryReadElementHeader_UnknownExplicitVR_ThrowsContentException()
    {
        var bytes = Convert.FromHexString("100010005A5A0800");

        var act = () => DicomElementHeaderDecoder.TryReadElementHeader(bytes, true, true, out _, out _);

        act.Should().Throw<DicomContentException>().Which.Offset.Should().Be(0);
    }

    [Test]
    public void ReadElementHeader_Truncated_ThrowsContentException()
    {
        var act = () => DicomElementHeaderDecoder.ReadElementHeader(new byte[] { 0x10, 0x00, 0x10 }, true, true, out _);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void ReadElementHeader_WholeHeader_ReturnsItAndItsLength()
    {
        var header = DicomElementHeaderDecoder.ReadElementHeader(Convert.FromHexString("1000100055490400FFFF"), true, true, out var consumed);

        header.Tag.Should().Be(new DicomTag(0x0010, 0x0010));
        header.VR.Should().Be(DicomVR.UI);
        header.Length.Should().Be(4u);
        consumed.Should().Be(8);
    }
}
