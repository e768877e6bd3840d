using static DicomArchive.Dicom.Tests.IO.Writing.WriterTestHelpers;

namespace DicomArchive.Dicom.Tests.IO.Writing;

/// <summary>Element header forms of PS3.5 7.1.2/7.1.3 and value padding of PS3.5 7.1.1 / 6.2.</summary>
public sealed class DicomDatasetWriterHeaderTests
{
    [Test]
    public void Write_ImplicitLittleEndian_TagAnd32BitLengthWithoutVR()
    {
        var bytes = Encode(Dataset(Text(0x0010, 0x0020, DicomVR.LO, "ABCD")), TransferSyntax.ImplicitVRLittleEndian);
        bytes.Should().Equal(Hex("10002000 04000000 41424344"));
    }

    [Test]
    public void Write_ExplicitLittleEndianShortVR_TagVRAnd16BitLength()
    {
        var bytes = Encode(Dataset(Text(0x0010, 0x0020, DicomVR.LO, "ABCD")), TransferSyntax.ExplicitVRLittleEndian);
        bytes.Should().Equal(Hex("10002000 4C4F 0400 41424344"));
    }

    [TestCase(DicomVR.OB)]
    [TestCase(DicomVR.OW)]
    [TestCase(DicomVR.UN)]
    [TestCase(DicomVR.UT)]
    [TestCase(DicomVR.UC)]
    [TestCase(DicomVR.UR)]
    [TestCase(DicomVR.OF)]
    [TestCase(DicomVR.OD)]
    [TestCase(DicomVR.OL)]
    [TestCase(DicomVR.OV)]
    [TestCase(DicomVR.SV)]
    [TestCase(DicomVR.UV)]
    public void Write_ExplicitLittleEndianLongVR_ReservedBytesAnd32BitLength(DicomVR vr)
    {
        var bytes = Encode(Dataset(Value(0x0019, 0x1001, vr, 1, 2, 3, 4, 5, 6, 7, 8)), TransferSyntax.ExplicitVRLittleEndian);
        var name = DicomVRInfo.Name(vr);
        bytes.Should().Equal(Hex($"19000110 {Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(name))} 0000 08000000 0102030405060708"));
    }

    [Test]
    public void Write_ExplicitBigEndian_HeaderNumbersBigEndianVRAscii()
    {
        var dataset = Dataset(Value(0x0028, 0x0010, DicomVR.US, 0x00, 0x02), Value(0x7FE0, 0x0010, DicomVR.OW, 0x02, 0x01));
        var bytes = Encode(dataset, TransferSyntax.ExplicitVRBigEndian);
        bytes.Should().Equal(Hex("00280010 5553 0002 0200 | 7FE00010 4F57 0000 00000002 0102"));
    }

    [TestCase(DicomVR.LO, "ABC", "41424320")]
    [TestCase(DicomVR.SH, "ABC", "41424320")]
    [TestCase(DicomVR.PN, "A^B", "415E4220")]
    [TestCase(DicomVR.CS, "ABC", "41424320")]
    [TestCase(DicomVR.DA, "2024010", "3230323430313020")]
    [TestCase(DicomVR.UI, "1.2", "312E3200")]
    public void Write_OddStringValue_PaddedWithSpaceOrNulPerVR(DicomVR vr, string text, string expectedValue)
    {
        var explicitBytes = Encode(Dataset(Text(0x0011, 0x1001, vr, text)), TransferSyntax.ExplicitVRLittleEndian);
        explicitBytes.Should().Equal(Hex($"11000110 {Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(DicomVRInfo.Name(vr)))} "
            + $"{expectedValue.Length / 2:X2}00 {expectedValue}"));

        var implicitBytes = Encode(Dataset(Text(0x0011, 0x1001, vr, text)), TransferSyntax.ImplicitVRLittleEndian);
        implicitBytes.Should().Equal(Hex($"11000110 {expectedValue.Length / 2:X2}000000 {expectedValue}"));
    }

    [Test]
    public void Write_OddBinaryValue_PaddedWithNul()
    {
        var bytes = Encode(Dataset(Value(0x0042, 0x0011, DicomVR.OB, 1, 2, 3)), TransferSyntax.ExplicitVRLittleEndian);
        bytes.Should().Equal(Hex("42001100 4F42 0000 04000000 01020300"));
    }

    [Test]
    public void Write_EmptyValue_ZeroLength()
    {
        var bytes = Encode(Dataset(Value(0x0010, 0x0010, DicomVR.PN)), TransferSyntax.ExplicitVRLittleEndian);
        bytes.Should().Equal(Hex("10001000 504E 0000"));
    }

    [Test]
    public void Write_ShortVRValueLongerThanFFFE_WrittenAsUNWith32BitLength()
    {
        // PS3.5 6.2.2 (CP 1066): a 16-bit length cannot hold it.
        var value = new byte[0x10000];
        value.AsSpan().Fill((byte)'1');
        var bytes = Encode(Dataset(new DicomValueElement(new DicomTag(0x0018, 0x9219), DicomVR.DS, value)), TransferSyntax.ExplicitVRLittleEndian);
        bytes.AsSpan(0, 12).ToArray().Should().Equal(Hex("18001992 554E 0000 00000100"));
        bytes.Length.Should().Be(12 + 0x10000);
    }

    [Test]
    public void Write_ShortVRValueOfFFFEBytes_Keeps16BitLength()
    {
        var value = new byte[0xFFFE];
        var bytes = Encode(Dataset(new DicomValueElement(new DicomTag(0x0018, 0x9219), DicomVR.DS, value)), TransferSyntax.ExplicitVRLittleEndian);
        bytes.AsSpan(0, 8).ToArray().Should().Equal(Hex("18001992 4453 FEFF"));
    }

    [Test]
    public void Write_LongValueImplicit_Plain32BitLength()
    {
        var value = new byte[0x10000];
        var bytes = Encode(Dataset(new DicomValueElement(new DicomTag(0x0018, 0x9219), DicomVR.DS, value)), TransferSyntax.ImplicitVRLittleEndian);
        bytes.AsSpan(0, 8).ToArray().Should().Equal(Hex("18001992 00000100"));
    }

    [Test]
    public void Write_UNElementKnownToDictionary_ExplicitGetsDictionaryVR()
    {
        var dataset = Dataset(Text(0x0010, 0x0010, DicomVR.UN, "DOE^J "));
        Encode(dataset, TransferSyntax.ExplicitVRLittleEndian).Should().Equal(Hex("10001000 504E 0600 444F455E4A20"));
    }

    [Test]
    public void Write_UNElementUnknownToDictionary_StaysUN()
    {
        var dataset = Dataset(Value(0x0019, 0x1001, DicomVR.UN, 1, 2));
        Encode(dataset, TransferSyntax.ExplicitVRLittleEndian).Should().Equal(Hex("19000110 554E 0000 02000000 0102"));
    }

    [Test]
    public void Write_UNResolutionDisabled_StaysUN()
    {
        var dataset = Dataset(Text(0x0010, 0x0010, DicomVR.UN, "DOE^J "));
        var bytes = Encode(dataset, TransferSyntax.ExplicitVRLittleEndian, new DicomWriterOptions { ResolveUnknownVR = false });
        bytes.Should().Equal(Hex("10001000 554E 0000 06000000 444F455E4A20"));
    }

    [Test]
    public void Write_GroupLength_RecalculatedFromWhatFollowsInTheGroup()
    {
        var dataset = Dataset(
            Value(0x0008, 0x0000, DicomVR.UL, 0xE7, 0x03, 0, 0),
            Text(0x0008, 0x0018, DicomVR.UI, "1.2\0"),
            Text(0x0010, 0x0020, DicomVR.LO, "AB"));
        Encode(dataset, TransferSyntax.ExplicitVRLittleEndian).Should().Equal(
            Hex("08000000 554C 0400 0C000000 | 08001800 5549 0400 312E3200 | 10002000 4C4F 0200 4142"));
        Encode(dataset, TransferSyntax.ImplicitVRLittleEndian).Should().Equal(
            Hex("08000000 04000000 0C000000 | 08001800 04000000 312E3200 | 10002000 02000000 4142"));
    }

    [Test]
    public void Write_GroupLengthKeep_WritesHeldValue()
    {
        var dataset = Dataset(Value(0x0008, 0x0000, DicomVR.UL, 0xE7, 0x03, 0, 0), Text(0x0008, 0x0018, DicomVR.UI, "1.2\0"));
        var bytes = Encode(dataset, TransferSyntax.ExplicitVRLittleEndian, new DicomWriterOptions { GroupLength = DicomGroupLengthMode.Keep });
        bytes.Should().Equal(Hex("08000000 554C 0400 E7030000 | 08001800 5549 0400 312E3200"));
    }

    [Test]
    public void Write_GroupLengthRemoveRetired_DropsDataSetGroupLengthsButKeepsCommandGroupLength()
    {
        var dataset = Dataset(
            Value(0x0000, 0x0000, DicomVR.UL, 0, 0, 0, 0),
            Value(0x0000, 0x0100, DicomVR.US, 0x30, 0x80),
            Value(0x0008, 0x0000, DicomVR.UL, 0, 0, 0, 0),
            Text(0x0008, 0x0018, DicomVR.UI, "1.2\0"));
        var bytes = Encode(dataset, TransferSyntax.ImplicitVRLittleEndian, new DicomWriterOptions { GroupLength = DicomGroupLengthMode.RemoveRetired });
        bytes.Should().Equal(Hex("00000000 04000000 0A000000 | 00000001 02000000 3080 | 08001800 04000000 312E3200"));
    }

    [Test]
    public void GetEncodedLength_MatchesBytesWritten()
    {
        var dataset = Dataset(Text(0x0010, 0x0010, DicomVR.PN, "DOE"), Value(0x7FE0, 0x0010, DicomVR.OW, 1, 2, 3, 4));
        foreach (var syntax in new[] { TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian })
        {
            DicomDatasetWriter.GetEncodedLength(dataset, syntax).Should().Be(Encode(dataset, syntax).Length);
        }
    }

    [Test]
    public async Task WriteAsync_Canceled_OperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        var act = () => DicomDatasetWriter.WriteAsync(
            new MemoryStream(), Dataset(Text(0x0010, 0x0010, DicomVR.PN, "DOE ")), TransferSyntax.ExplicitVRLittleEndian, null, cancellation.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Test]
    public async Task WriteAsync_SameBytesAsSynchronousWrite()
    {
        var big = new byte[200_000];
        Random.Shared.NextBytes(big);
        var dataset = Dataset(Text(0x0010, 0x0010, DicomVR.PN, "DOE"), new DicomValueElement(DicomTag.PixelData, DicomVR.OW, big));
        foreach (var syntax in new[] { TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian })
        {
            (await EncodeAsync(dataset, syntax)).Should().Equal(Encode(dataset, syntax));
        }
    }
}
