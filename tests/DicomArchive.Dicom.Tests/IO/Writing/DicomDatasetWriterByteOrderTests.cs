using System.IO.Compression;
using static DicomArchive.Dicom.Tests.IO.Writing.WriterTestHelpers;

namespace DicomArchive.Dicom.Tests.IO.Writing;

/// <summary>Big endian byte swapping (PS3.5 7.3, A.3) and deflate (PS3.5 A.5).</summary>
public sealed class DicomDatasetWriterByteOrderTests
{
    private static readonly byte[] Sixteen = Hex("0102030405060708 090A0B0C0D0E0F10");

    [TestCase(DicomVR.US, 2)]
    [TestCase(DicomVR.SS, 2)]
    [TestCase(DicomVR.AT, 2)]
    [TestCase(DicomVR.OW, 2)]
    [TestCase(DicomVR.UL, 4)]
    [TestCase(DicomVR.SL, 4)]
    [TestCase(DicomVR.FL, 4)]
    [TestCase(DicomVR.OF, 4)]
    [TestCase(DicomVR.OL, 4)]
    [TestCase(DicomVR.FD, 8)]
    [TestCase(DicomVR.OD, 8)]
    [TestCase(DicomVR.OV, 8)]
    [TestCase(DicomVR.SV, 8)]
    [TestCase(DicomVR.UV, 8)]
    [TestCase(DicomVR.OB, 1)]
    [TestCase(DicomVR.UN, 1)]
    [TestCase(DicomVR.LO, 1)]
    public void Write_BigEndian_SwapsEachNumberOfTheVR(DicomVR vr, int unit)
    {
        var bytes = Encode(Dataset(new DicomValueElement(new DicomTag(0x0019, 0x1001), vr, Sixteen)), TransferSyntax.ExplicitVRBigEndian);
        var expected = (byte[])Sixteen.Clone();
        for (var i = 0; i < expected.Length; i += unit)
        {
            Array.Reverse(expected, i, unit);
        }

        var header = DicomVRInfo.HasLongExplicitLength(vr) ? 12 : 8;
        bytes.Length.Should().Be(header + 16);
        bytes.AsSpan(header).ToArray().Should().Equal(expected);
    }

    [Test]
    public void Write_BigEndianAT_GroupAndElementSwappedSeparately()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(new DicomTag(0x0020, 0x5000), DicomTag.PatientName);
        Encode(dataset, TransferSyntax.ExplicitVRBigEndian).Should().Equal(Hex("00205000 4154 0004 00100010"));
    }

    [Test]
    public void Write_BigEndianLargeOW_SwappedAcrossBufferChunks()
    {
        var value = new byte[300_002];
        Random.Shared.NextBytes(value);
        var bytes = Encode(Dataset(new DicomValueElement(DicomTag.PixelData, DicomVR.OW, value)), TransferSyntax.ExplicitVRBigEndian);
        var expected = (byte[])value.Clone();
        for (var i = 0; i < expected.Length; i += 2)
        {
            (expected[i], expected[i + 1]) = (expected[i + 1], expected[i]);
        }

        bytes.AsSpan(12).SequenceEqual(expected).Should().BeTrue();
    }

    [Test]
    public void Write_LittleEndianSyntaxes_ValuesUnchanged()
    {
        var dataset = Dataset(new DicomValueElement(new DicomTag(0x0019, 0x1001), DicomVR.FD, Sixteen));
        Encode(dataset, TransferSyntax.ExplicitVRLittleEndian).AsSpan(8).ToArray().Should().Equal(Sixteen);
        Encode(dataset, TransferSyntax.ImplicitVRLittleEndian).AsSpan(8).ToArray().Should().Equal(Sixteen);
    }

    [Test]
    public void Write_Deflated_RawDeflateOfExplicitLittleEndian()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(DicomTag.PatientName, "DOE^JOHN");
        dataset.AddOrUpdate(DicomTag.PixelData, DicomVR.OW, new byte[10_000]);
        var deflated = Encode(dataset, TransferSyntax.DeflatedExplicitVRLittleEndian);

        // RFC 1951 raw deflate: no zlib header (78 xx) in front.
        using var inflater = new DeflateStream(new MemoryStream(deflated), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        inflater.CopyTo(inflated);
        inflated.ToArray().Should().Equal(Encode(dataset, TransferSyntax.ExplicitVRLittleEndian));
        deflated.Length.Should().BeLessThan(1000);
    }

    [Test]
    public async Task WriteAsync_Deflated_SameAsSynchronous()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(DicomTag.PatientID, "12345");
        var deflated = await EncodeAsync(dataset, TransferSyntax.DeflatedExplicitVRLittleEndian);
        using var inflater = new DeflateStream(new MemoryStream(deflated), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        await inflater.CopyToAsync(inflated);
        inflated.ToArray().Should().Equal(Encode(dataset, TransferSyntax.ExplicitVRLittleEndian));
    }
}
