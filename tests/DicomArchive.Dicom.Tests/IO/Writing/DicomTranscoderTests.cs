using System.IO.Compression;
using static DicomArchive.Dicom.Tests.IO.Writing.WriterTestHelpers;

namespace DicomArchive.Dicom.Tests.IO.Writing;

/// <summary>Streaming conversion between the uncompressed transfer syntaxes.</summary>
public sealed class DicomTranscoderTests
{
    private static readonly DicomWriterOptions StreamingForm = new()
    {
        SequenceLength = DicomLengthForm.Undefined,
        ItemLength = DicomLengthForm.Undefined,
        GroupLength = DicomGroupLengthMode.RemoveRetired,
    };

    public static IEnumerable<TestCaseData> Pairs()
    {
        foreach (var from in DicomWriterInteropTests.Syntaxes)
        {
            foreach (var to in DicomWriterInteropTests.Syntaxes)
            {
                if (!from.Equals(to))
                {
                    yield return new TestCaseData(from, to).SetArgDisplayNames(from.Name, to.Name);
                }
            }
        }
    }

    private static async Task<byte[]> ConvertAsync(byte[] source, TransferSyntax from, TransferSyntax to)
    {
        using var destination = new MemoryStream();
        await DicomTranscoder.ConvertAsync(new MemoryStream(source), from, destination, to);
        return destination.ToArray();
    }

    private static byte[] Inflate(byte[] deflated)
    {
        using var inflater = new DeflateStream(new MemoryStream(deflated), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        inflater.CopyTo(inflated);
        return inflated.ToArray();
    }

    /// <summary>The data set bytes as written in memory, for comparison: inflated when deflated.</summary>
    private static byte[] Plain(byte[] bytes, TransferSyntax syntax) => syntax.IsDeflated ? Inflate(bytes) : bytes;

    [TestCaseSource(nameof(Pairs))]
    public async Task ConvertAsync_EachPair_SameAsWritingTheDataSetInTheTarget(TransferSyntax from, TransferSyntax to)
    {
        var dataset = DicomWriterInteropTests.CtImage();
        var converted = await ConvertAsync(Encode(dataset, from), from, to);
        Plain(converted, to).Should().Equal(Plain(Encode(dataset, to, StreamingForm), to));
    }

    [Test]
    public async Task ConvertAsync_SameSyntax_CopiesBytes()
    {
        var bytes = Encode(DicomWriterInteropTests.CtImage(), TransferSyntax.ExplicitVRLittleEndian);
        (await ConvertAsync(bytes, TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian)).Should().Equal(bytes);
        (await ConvertAsync(bytes, TransferSyntax.JpegBaseline8Bit, TransferSyntax.JpegBaseline8Bit)).Should().Equal(bytes);
    }

    [Test]
    public async Task ConvertAsync_EncapsulatedToNative_NotSupported()
    {
        var act = () => ConvertAsync([], TransferSyntax.JpegBaseline8Bit, TransferSyntax.ExplicitVRLittleEndian);
        await act.Should().ThrowAsync<NotSupportedException>().WithMessage("*codec*");
        act = () => ConvertAsync([], TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.RleLossless);
        await act.Should().ThrowAsync<NotSupportedException>();
    }

    [Test]
    public async Task ConvertAsync_ImplicitToExplicit_VRFromDictionaryAndUNForUnknown()
    {
        var source = Hex("10001000 04000000 444F4520 | 19000110 02000000 0102");
        var converted = await ConvertAsync(source, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian);
        converted.Should().Equal(Hex("10001000 504E 0400 444F4520 | 19000110 554E 0000 02000000 0102"));
    }

    [Test]
    public async Task ConvertAsync_ImplicitUnknownUndefinedLength_BecomesExplicitSequence()
    {
        var source = Hex("19001010 FFFFFFFF | FEFF00E0 FFFFFFFF | 28001000 02000000 0400 | FEFF0DE0 00000000 | FEFFDDE0 00000000");
        var converted = await ConvertAsync(source, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian);
        converted.Should().Equal(Hex(
            "00191010 5351 0000 FFFFFFFF | FFFEE000 FFFFFFFF | 00280010 5553 0002 0004 | FFFEE00D 00000000 | FFFEE0DD 00000000"));
    }

    [Test]
    public async Task ConvertAsync_ExplicitUNUndefinedLength_ItemsReadAsImplicit()
    {
        // PS3.5 6.2.2: an undefined-length UN holds an implicit VR little endian sequence, whatever the syntax.
        var source = Hex("19001010 554E 0000 FFFFFFFF | FEFF00E0 0A000000 | 28001000 02000000 0400 | FEFFDDE0 00000000");
        var converted = await ConvertAsync(source, TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian);
        converted.Should().Equal(Hex(
            "19001010 FFFFFFFF | FEFF00E0 FFFFFFFF | 28001000 02000000 0400 | FEFF0DE0 00000000 | FEFFDDE0 00000000"));
    }

    [Test]
    public async Task ConvertAsync_DefinedLengthSequencesAndGroupLengths_UndefinedAndDropped()
    {
        var source = Hex("08000000 04000000 08000000 | 08001511 14000000 | FEFF00E0 0C000000 | 08005011 04000000 312E3200");
        var converted = await ConvertAsync(source, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian);
        converted.Should().Equal(Hex(
            "08001511 5351 0000 FFFFFFFF | FEFF00E0 FFFFFFFF | 08005011 5549 0400 312E3200 | FEFF0DE0 00000000 | FEFFDDE0 00000000"));
    }

    [Test]
    public async Task ConvertAsync_LargeOddPixelData_SwappedAcrossChunksAndPadded()
    {
        var pixels = new byte[1_000_001];
        Random.Shared.NextBytes(pixels);
        var dataset = Dataset(new DicomValueElement(DicomTag.PixelData, DicomVR.OW, pixels));
        var big = await ConvertAsync(Encode(dataset, TransferSyntax.ExplicitVRLittleEndian), TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian);
        big.Should().Equal(Encode(dataset, TransferSyntax.ExplicitVRBigEndian));
        var back = await ConvertAsync(big, TransferSyntax.ExplicitVRBigEndian, TransferSyntax.ImplicitVRLittleEndian);
        back.Should().Equal(Encode(dataset, TransferSyntax.ImplicitVRLittleEndian));
    }

    [Test]
    public async Task ConvertAsync_SignedPixelRepresentation_USorSSResolvedAsSS()
    {
        // (0028,0106) Smallest Image Pixel Value is "US or SS": implicit VR needs Pixel Representation to choose.
        var source = Hex("28000301 02000000 0100 | 28000601 02000000 FEFF");
        var converted = await ConvertAsync(source, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian);
        converted.Should().Equal(Hex("28000301 5553 0200 0100 | 28000601 5353 0200 FEFF"));
    }

    [TestCase("10001000 04000000 4445", TestName = "ConvertAsync_TruncatedValue_ContentException")]
    [TestCase("100010", TestName = "ConvertAsync_TruncatedHeader_ContentException")]
    [TestCase("08001511 FFFFFFFF | FEFF00E0 FFFFFFFF", TestName = "ConvertAsync_UnclosedItem_ContentException")]
    [TestCase("08001511 10000000 | FEFF00E0 20000000", TestName = "ConvertAsync_ItemPastSequenceEnd_ContentException")]
    [TestCase("08001511 FFFFFFFF | 10001000 00000000", TestName = "ConvertAsync_NonItemInSequence_ContentException")]
    [TestCase("FEFFDDE0 10000000", TestName = "ConvertAsync_DelimiterWithLength_ContentException")]
    public async Task ConvertAsync_BadInput_ContentException(string hex)
    {
        var act = () => ConvertAsync(Hex(hex), TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian);
        await act.Should().ThrowAsync<DicomContentException>();
    }

    [Test]
    public async Task ConvertAsync_StrayZeroLengthDelimiters_Dropped()
    {
        var source = Hex("FEFFDDE0 00000000 | 10001000 04000000 444F4520 | FEFF0DE0 00000000");
        var converted = await ConvertAsync(source, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian);
        converted.Should().Equal(Hex("10001000 504E 0400 444F4520"));
    }

    [Test]
    public async Task ConvertAsync_UndelimitedItemInDefinedSequence_EndsAtTheSequenceEnd()
    {
        var source = Hex("08001511 14000000 | FEFF00E0 FFFFFFFF | 08005011 04000000 312E3200 | 10002000 02000000 4142");
        var converted = await ConvertAsync(source, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian);
        converted.Should().Equal(Hex(
            "08001511 5351 0000 FFFFFFFF | FEFF00E0 FFFFFFFF | 08005011 5549 0400 312E3200 | FEFF0DE0 00000000 | FEFFDDE0 00000000"
            + "| 10002000 4C4F 0200 4142"));
    }

    [Test]
    public async Task ConvertAsync_UnknownExplicitVR_ContentException()
    {
        var act = () => ConvertAsync(Hex("10001000 5A5A 0000"), TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian);
        var thrown = (await act.Should().ThrowAsync<DicomContentException>()).Which;
        thrown.Offset.Should().Be(4);
        thrown.Message.Should().Contain("(0010,0010)");
    }

    [Test]
    public async Task ConvertAsync_NestingDeeperThanLimit_ContentException()
    {
        var bytes = new List<byte>();
        for (var i = 0; i < 100; i++)
        {
            bytes.AddRange(Hex("08001511 FFFFFFFF FEFF00E0 FFFFFFFF"));
        }

        var act = () => ConvertAsync([.. bytes], TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian);
        await act.Should().ThrowAsync<DicomContentException>().WithMessage("*nested*");
    }

    [Test]
    public async Task ConvertAsync_CorruptDeflate_ContentException()
    {
        var act = () => ConvertAsync([0xFF, 0xFF, 0xFF, 0xFF, 0x00], TransferSyntax.DeflatedExplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian);
        await act.Should().ThrowAsync<DicomContentException>();
    }

    [Test]
    public async Task ConvertAsync_MutatedInput_OnlyContentExceptions()
    {
        var valid = Encode(DicomWriterInteropTests.CtImage(), TransferSyntax.ExplicitVRLittleEndian);
        var random = new Random(1234);
        for (var i = 0; i < 500; i++)
        {
            var mutated = (byte[])valid.Clone();
            for (var j = 0; j < 4; j++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var length = random.Next(2) == 0 ? mutated.Length : random.Next(mutated.Length);
            try
            {
                await ConvertAsync(mutated[..length], TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian);
            }
            catch (DicomContentException)
            {
            }
        }
    }

    [TestCaseSource(nameof(Pairs))]
    public async Task ConvertFileAsync_EachPair_SameAsWritingTheFileInTheTarget(TransferSyntax from, TransferSyntax to)
    {
        var file = new DicomFile(new DicomDataset(), DicomWriterInteropTests.CtImage());
        using var source = new MemoryStream();
        await DicomFileWriter.WriteAsync(source, file, from);
        source.Position = 0;
        using var converted = new MemoryStream();
        (await DicomTranscoder.ConvertFileAsync(source, converted, to)).Should().Be(from);

        using var expected = new MemoryStream();
        await DicomFileWriter.WriteAsync(expected, file, to, StreamingForm);
        var header = (int)BitConverter.ToUInt32(expected.GetBuffer(), 140) + 144;
        converted.ToArray()[..header].Should().Equal(expected.ToArray()[..header]);
        Plain(converted.ToArray()[header..], to).Should().Equal(Plain(expected.ToArray()[header..], to));
    }

    [Test]
    public async Task ConvertAsync_Canceled_OperationCanceled()
    {
        var bytes = Encode(DicomWriterInteropTests.CtImage(), TransferSyntax.ExplicitVRLittleEndian);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        var act = () => DicomTranscoder.ConvertAsync(
            new MemoryStream(bytes), TransferSyntax.ExplicitVRLittleEndian, new MemoryStream(), TransferSyntax.ExplicitVRBigEndian, cancellation.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Test]
    public async Task ConvertFileAsync_MetaElementWithHugeLength_ContentException()
    {
        var bytes = new byte[132 + 12];
        "DICM"u8.CopyTo(bytes.AsSpan(128));
        Hex("02000100 4F42 0000 FFFFFF7F").CopyTo(bytes, 132);
        var act = () => DicomTranscoder.ConvertFileAsync(new MemoryStream(bytes), new MemoryStream(), TransferSyntax.ExplicitVRLittleEndian);
        await act.Should().ThrowAsync<DicomContentException>();
    }

    [TestCase("1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2")]
    [TestCase("1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2")]
    [TestCase("1.2.840.10008.1.2", "1.2.840.10008.1.2")]
    public async Task WriteFileDatasetAsync_File_OnlyTheDataSetInTheTargetSyntax(string from, string to)
    {
        var dataset = DicomWriterInteropTests.CtImage();
        using var source = new MemoryStream();
        await DicomFileWriter.WriteAsync(source, new DicomFile(new DicomDataset(), dataset), TransferSyntax.Lookup(from));
        source.Position = 0;
        using var destination = new MemoryStream();
        (await DicomTranscoder.WriteFileDatasetAsync(source, destination, TransferSyntax.Lookup(to))).Uid.Should().Be(from);
        var expected = from == to ? Encode(dataset, TransferSyntax.Lookup(to)) : Encode(dataset, TransferSyntax.Lookup(to), StreamingForm);
        destination.ToArray().Should().Equal(expected);
    }

    [Test]
    public async Task WriteFileDatasetAsync_EncapsulatedFileSameSyntax_CopiesFragments()
    {
        var dataset = DicomFileWriterTests.SampleDataset();
        dataset.Add(new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty, [new DicomFragment(Hex("FFD8FFD9"))]));
        using var source = new MemoryStream();
        await DicomFileWriter.WriteAsync(source, new DicomFile(new DicomDataset(), dataset), TransferSyntax.JpegBaseline8Bit);
        source.Position = 0;
        using var destination = new MemoryStream();
        await DicomTranscoder.WriteFileDatasetAsync(source, destination, TransferSyntax.JpegBaseline8Bit);
        destination.ToArray().Should().Equal(Encode(dataset, TransferSyntax.JpegBaseline8Bit));
        source.Position = 0;
        var act = () => DicomTranscoder.WriteFileDatasetAsync(source, new MemoryStream(), TransferSyntax.ExplicitVRLittleEndian);
        await act.Should().ThrowAsync<NotSupportedException>();
    }

    [Test]
    public async Task ConvertFileAsync_NotDicom_ContentException()
    {
        var act = () => DicomTranscoder.ConvertFileAsync(new MemoryStream(new byte[200]), new MemoryStream(), TransferSyntax.ExplicitVRLittleEndian);
        await act.Should().ThrowAsync<DicomContentException>().WithMessage("*DICM*");
    }
}
