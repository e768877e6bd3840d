using System.Buffers.Binary;

namespace DicomArchive.Dicom.Tests.IO.Reading;

public sealed class DicomFileReaderTests
{
    private const string ExplicitLE = "1.2.840.10008.1.2.1";
    private const string ExplicitBE = "1.2.840.10008.1.2.2";
    private const string Deflated = "1.2.840.10008.1.2.1.99";
    private const string JpegBaseline = "1.2.840.10008.1.2.4.50";

    private static readonly DicomTag SequenceTag = new(0x0008, 0x1115);
    private static readonly DicomTag OtherSequenceTag = new(0x0008, 0x1140);
    private static readonly DicomTag Rows = new(0x0028, 0x0010);

    [Test]
    public async Task ReadAsync_ExplicitLittleEndianPart10_ReadsMetaAndDataset()
    {
        var dataset = new DicomTestEncoder()
            .Text(0x0008, 0x0005, "CS", "ISO_IR 192")
            .Text(0x0010, 0x0010, "PN", "Doe^John")
            .Text(0x0010, 0x0020, "LO", "ID1 ")
            .UnsignedShort(0x0028, 0x0010, 512)
            .ToArray();
        var bytes = DicomTestEncoder.Part10(dataset, ExplicitLE);

        var file = await DicomFileReader.ReadAsync(new MemoryStream(bytes));

        file.HasPreamble.Should().BeTrue();
        file.Preamble.Length.Should().Be(128);
        file.TransferSyntax.Should().Be(TransferSyntax.ExplicitVRLittleEndian);
        file.FileMetaInformation.GetString(DicomTag.TransferSyntaxUID).Should().Be(ExplicitLE);
        file.FileMetaInformation.Contains(new DicomTag(0x0002, 0x0000)).Should().BeTrue();
        file.Dataset.GetString(DicomTag.PatientName).Should().Be("Doe^John");
        file.Dataset.GetString(DicomTag.PatientID).Should().Be("ID1");
        file.Dataset.TryGetInt32(Rows, out var rows).Should().BeTrue();
        rows.Should().Be(512);
        file.Dataset[Rows]!.VR.Should().Be(DicomVR.US);
    }

    [Test]
    public void Read_SyncMemoryAndAsyncStream_GiveTheSameElements()
    {
        var bytes = DicomTestEncoder.Part10(SampleWithSequences(true), ExplicitLE);

        var fromMemory = DicomFileReader.Read(bytes.AsMemory());
        var fromStream = DicomFileReader.Read(new MemoryStream(bytes));

        fromMemory.Dataset.Select(e => e.Tag).Should().Equal(fromStream.Dataset.Select(e => e.Tag));
        fromMemory.Dataset.GetSequence(SequenceTag)!.Items.Should().HaveCount(2);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ReadAsync_SequencesOfDefinedAndUndefinedLength_ReadsItems(bool undefinedLengths)
    {
        var file = await DicomFileReader.ReadAsync(new MemoryStream(DicomTestEncoder.Part10(SampleWithSequences(undefinedLengths), ExplicitLE)));

        var sequence = file.Dataset.GetSequence(SequenceTag)!;
        sequence.HadUndefinedLength.Should().Be(undefinedLengths);
        sequence.Items.Should().HaveCount(2);
        sequence.Items[0].GetString(DicomTag.PatientID).Should().Be("A1");
        sequence.Items[1].GetString(DicomTag.PatientID).Should().Be("B2");
        var nested = sequence.Items[1].GetSequence(OtherSequenceTag)!;
        nested.Items.Should().ContainSingle().Which.GetString(DicomTag.PatientName).Should().Be("Nested^Name");
        file.Dataset.GetString(DicomTag.PatientID).Should().Be("AFTER", "the element after the sequence belongs to the top level");
    }

    [Test]
    public async Task ReadAsync_Items_FallBackToTheParentCharacterSet()
    {
        var file = await DicomFileReader.ReadAsync(new MemoryStream(DicomTestEncoder.Part10(SampleWithSequences(true), ExplicitLE)));

        var item = file.Dataset.GetSequence(SequenceTag)!.Items[1];
        item.CharacterSet.Terms.Should().Equal("ISO_IR 192");
        item.GetSequence(OtherSequenceTag)!.Items[0].CharacterSet.Terms.Should().Equal("ISO_IR 192");
    }

    [Test]
    public void Read_NestingDeeperThanMaxSequenceDepth_ThrowsContentException()
    {
        var encoder = new DicomTestEncoder();
        for (var i = 0; i < 10; i++)
        {
            encoder.Header(0x0008, 0x1115, "SQ", DicomElementHeader.UndefinedLength).Item();
        }

        var options = new DicomReaderOptions { MaxSequenceDepth = 5 };
        var act = () => DicomDatasetReader.Read(encoder.ToArray(), TransferSyntax.ExplicitVRLittleEndian, options);

        act.Should().Throw<DicomContentException>().WithMessage("*nested*");
    }

    [Test]
    public void Read_UnknownVRWithUndefinedLength_ReadsAnImplicitLittleEndianSequence()
    {
        // PS3.5 6.2.2: a UN element of undefined length holds a sequence in implicit VR little endian.
        var inner = new DicomTestEncoder(explicitVR: false).Text(0x0010, 0x0010, null, "Un^Known ").ToArray();
        var bytes = new DicomTestEncoder()
            .Header(0x0009, 0x1001, "UN", DicomElementHeader.UndefinedLength)
            .Item()
            .Raw(inner)
            .ItemDelimiter()
            .SequenceDelimiter()
            .Text(0x0010, 0x0020, "LO", "AFTER ")
            .ToArray();

        var dataset = DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian);

        var sequence = dataset.GetSequence(new DicomTag(0x0009, 0x1001))!;
        sequence.VR.Should().Be(DicomVR.UN);
        var element = sequence.Items.Should().ContainSingle().Which[DicomTag.PatientName]!;
        element.VR.Should().Be(DicomVR.PN, "the implicit VR comes from the dictionary");
        sequence.Items[0].GetString(DicomTag.PatientName).Should().Be("Un^Known");
        dataset.GetString(DicomTag.PatientID).Should().Be("AFTER");
    }

    [Test]
    public void Read_ImplicitVR_TakesVRsFromTheDictionary()
    {
        var bytes = new DicomTestEncoder(explicitVR: false)
            .Text(0x0009, 0x0010, null, "ACME")
            .Text(0x0009, 0x1001, null, "xy")
            .Text(0x0010, 0x0010, null, "Doe^J ")
            .Header(0x0011, 0x1001, null, DicomElementHeader.UndefinedLength)
            .Item(10).Text(0x0010, 0x0020, null, "ID")
            .SequenceDelimiter()
            .Element(0x7FE0, 0x0010, null, [1, 2, 3, 4])
            .ToArray();

        var dataset = DicomDatasetReader.Read(bytes, TransferSyntax.ImplicitVRLittleEndian);

        dataset[new DicomTag(0x0009, 0x0010)]!.VR.Should().Be(DicomVR.LO, "private creators are LO (PS3.5 7.8.1)");
        dataset[new DicomTag(0x0009, 0x1001)]!.VR.Should().Be(DicomVR.UN);
        dataset[DicomTag.PatientName]!.VR.Should().Be(DicomVR.PN);
        var sequence = dataset.GetSequence(new DicomTag(0x0011, 0x1001))!;
        sequence.VR.Should().Be(DicomVR.SQ, "an implicit element of undefined length is a sequence");
        sequence.Items.Single().GetString(DicomTag.PatientID).Should().Be("ID");
        dataset[DicomTag.PixelData]!.VR.Should().Be(DicomVR.OW, "PS3.5 A.1: implicit VR pixel data is OW");
    }

    // Needs the full dictionary (ReferencedStudySequence is SQ): run after the dictionary branch is merged.
    [Test]
    public void Read_ImplicitVRDefinedLengthSequence_WithFullDictionary_ReadsItems()
    {
        if (DicomDictionary.GetVR(SequenceTag) != DicomVR.SQ)
        {
            Assert.Ignore("needs the generated dictionary");
        }

        var item = new DicomTestEncoder(explicitVR: false).Text(0x0010, 0x0020, null, "ID").ToArray();
        var bytes = new DicomTestEncoder(explicitVR: false)
            .Header(0x0008, 0x1115, null, (uint)(item.Length + 8)).Item((uint)item.Length).Raw(item)
            .ToArray();

        var dataset = DicomDatasetReader.Read(bytes, TransferSyntax.ImplicitVRLittleEndian);

        dataset.GetSequence(SequenceTag)!.Items.Single().GetString(DicomTag.PatientID).Should().Be("ID");
    }

    [Test]
    public async Task ReadAsync_EncapsulatedPixelData_ReadsOffsetTableAndFragments()
    {
        var bytes = DicomTestEncoder.Part10(Encapsulated(), JpegBaseline);

        var file = await DicomFileReader.ReadAsync(new MemoryStream(bytes));

        file.TransferSyntax.IsEncapsulated.Should().BeTrue();
        var pixels = file.Dataset[DicomTag.PixelData].Should().BeOfType<DicomFragmentSequence>().Subject;
        pixels.VR.Should().Be(DicomVR.OB);
        pixels.OffsetTable.ToArray().Should().Equal(0, 0, 0, 0);
        pixels.Fragments.Should().HaveCount(2);
        pixels.Fragments[0].Bytes.ToArray().Should().Equal(0xFF, 0xD8, 0xFE, 0xFF, 0xDD, 0xE0);
        pixels.Fragments[1].Bytes.ToArray().Should().Equal(0xFF, 0xD9);
        file.Dataset.Contains(new DicomTag(0xFFFC, 0xFFFC)).Should().BeTrue("elements after pixel data are read");
    }

    [TestCase(Deflated)]
    [TestCase("1.2.840.10008.1.2.4.95")]
    public async Task ReadAsync_DeflatedPart10_InflatesTheDataset(string syntax)
    {
        var dataset = SampleWithSequences(false);
        var bytes = DicomTestEncoder.Part10(DicomTestEncoder.Deflate(dataset), syntax);

        var file = await DicomFileReader.ReadAsync(new NonSeekableStream(new MemoryStream(bytes)));
        var fromMemory = DicomFileReader.Read(bytes);

        file.TransferSyntax.IsDeflated.Should().BeTrue();
        file.Dataset.GetSequence(SequenceTag)!.Items.Should().HaveCount(2);
        file.Dataset.GetString(DicomTag.PatientID).Should().Be("AFTER");
        fromMemory.Dataset.Count.Should().Be(file.Dataset.Count);
    }

    [Test]
    public void Read_DeflateWithZlibHeader_IsAcceptedToo()
    {
        using var zlib = new MemoryStream();
        using (var compressor = new System.IO.Compression.ZLibStream(zlib, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(SampleWithSequences(false));
        }

        var file = DicomFileReader.Read(DicomTestEncoder.Part10(zlib.ToArray(), Deflated));

        file.Dataset.GetString(DicomTag.PatientID).Should().Be("AFTER");
    }

    [Test]
    public async Task ReadAsync_CorruptDeflate_ThrowsContentException()
    {
        var deflated = DicomTestEncoder.Deflate(SampleWithSequences(false));
        deflated[0] = 0xFF;
        var bytes = DicomTestEncoder.Part10(deflated, Deflated);

        var act = () => DicomFileReader.ReadAsync(new MemoryStream(bytes));

        await act.Should().ThrowAsync<DicomContentException>();
    }

    [Test]
    public async Task ReadAsync_ExplicitBigEndian_SwapsBinaryValuesToLittleEndian()
    {
        var dataset = new DicomTestEncoder(littleEndian: false)
            .UnsignedShort(0x0028, 0x0010, 0x0102)
            .Element(0x0028, 0x0009, "AT", [0x00, 0x18, 0x10, 0x63])
            .Header(0x0008, 0x1115, "SQ", DicomElementHeader.UndefinedLength)
            .Item(10).UnsignedShort(0x0028, 0x0011, 0x0304)
            .SequenceDelimiter()
            .Element(0x7FE0, 0x0010, "OW", [0x01, 0x02, 0x03, 0x04])
            .ToArray();
        var bytes = DicomTestEncoder.Part10(dataset, ExplicitBE);

        var file = await DicomFileReader.ReadAsync(new MemoryStream(bytes));

        file.TransferSyntax.Should().Be(TransferSyntax.ExplicitVRBigEndian);
        file.Dataset.TryGetBytes(Rows, out var rows).Should().BeTrue();
        rows.ToArray().Should().Equal(0x02, 0x01);
        file.Dataset.TryGetInt32(Rows, out var value).Should().BeTrue();
        value.Should().Be(0x0102);
        file.Dataset.TryGetAttributeTag(new DicomTag(0x0028, 0x0009), out var at).Should().BeTrue();
        at.Should().Be(new DicomTag(0x0018, 0x1063));
        file.Dataset.GetSequence(SequenceTag)!.Items.Single().TryGetInt32(new DicomTag(0x0028, 0x0011), out var columns).Should().BeTrue();
        columns.Should().Be(0x0304);
        file.Dataset.TryGetBytes(DicomTag.PixelData, out var pixels).Should().BeTrue();
        pixels.ToArray().Should().Equal(0x02, 0x01, 0x04, 0x03);
    }

    [Test]
    public async Task ReadAsync_StopBeforeTag_StopsBeforeThatTagAtTheTopLevel()
    {
        var bytes = DicomTestEncoder.Part10(SampleWithPixelData(), ExplicitLE);
        var options = new DicomReaderOptions { StopBeforeTag = DicomTag.PixelData };

        var file = await DicomFileReader.ReadAsync(new MemoryStream(bytes), options);

        file.Dataset.Contains(Rows).Should().BeTrue();
        file.Dataset.Contains(DicomTag.PixelData).Should().BeFalse();
        file.Dataset.Contains(new DicomTag(0xFFFC, 0xFFFC)).Should().BeFalse();
    }

    [Test]
    public async Task ReadAsync_StopBeforeTag_LeavesASeekableStreamAtThatElement()
    {
        var bytes = DicomTestEncoder.Part10(SampleWithPixelData(), ExplicitLE);
        var stream = new MemoryStream(bytes);

        await DicomFileReader.ReadAsync(stream, new DicomReaderOptions { StopBeforeTag = DicomTag.PixelData });

        bytes.AsSpan((int)stream.Position, 4).ToArray().Should().Equal(0xE0, 0x7F, 0x10, 0x00);
    }

    [Test]
    public async Task OpenAsync_BulkDataThreshold_LeavesLargeValuesInTheFile()
    {
        var bytes = DicomTestEncoder.Part10(SampleWithPixelData(), ExplicitLE);
        var path = Path.Combine(Path.GetTempPath(), $"reader-bulk-{Guid.NewGuid():N}.dcm");
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            var file = await DicomFileReader.OpenAsync(path, new DicomReaderOptions { BulkDataThreshold = 64 });

            file.SourcePath.Should().Be(path);
            var pixels = (DicomValueElement)file.Dataset[DicomTag.PixelData]!;
            pixels.IsLoaded.Should().BeFalse();
            pixels.BulkData!.SourcePath.Should().Be(path);
            pixels.BulkData.Length.Should().Be(1000);
            bytes.AsSpan((int)pixels.BulkData.Offset, 1000).ToArray().Should().Equal(PixelBytes(1000));
            file.Dataset.Contains(new DicomTag(0xFFFC, 0xFFFC)).Should().BeTrue("reading goes on after the skipped value");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task ReadAsync_BulkDataThresholdOnNonSeekableStream_SkipsByReadingWithoutPath()
    {
        var bytes = DicomTestEncoder.Part10(SampleWithPixelData(), ExplicitLE);

        var file = await DicomFileReader.ReadAsync(new NonSeekableStream(new MemoryStream(bytes)), new DicomReaderOptions { BulkDataThreshold = 64 });

        var pixels = (DicomValueElement)file.Dataset[DicomTag.PixelData]!;
        pixels.BulkData!.SourcePath.Should().BeNull();
        bytes.AsSpan((int)pixels.BulkData.Offset, 1000).ToArray().Should().Equal(PixelBytes(1000));
        file.Dataset.Contains(new DicomTag(0xFFFC, 0xFFFC)).Should().BeTrue();
    }

    [Test]
    public async Task ReadAsync_BulkDataThreshold_AppliesToFragments()
    {
        var big = PixelBytes(300);
        var dataset = new DicomTestEncoder()
            .Header(0x7FE0, 0x0010, "OB", DicomElementHeader.UndefinedLength)
            .Item(0)
            .Item((uint)big.Length).Raw(big)
            .Item(2).Raw([0xFF, 0xD9])
            .SequenceDelimiter()
            .ToArray();
        var bytes = DicomTestEncoder.Part10(dataset, JpegBaseline);

        var file = await DicomFileReader.ReadAsync(new MemoryStream(bytes), new DicomReaderOptions { BulkDataThreshold = 100 });

        var fragments = ((DicomFragmentSequence)file.Dataset[DicomTag.PixelData]!).Fragments;
        fragments[0].BulkData.Should().NotBeNull();
        bytes.AsSpan((int)fragments[0].BulkData!.Offset, big.Length).ToArray().Should().Equal(big);
        fragments[1].Bytes.ToArray().Should().Equal(0xFF, 0xD9);
    }

    [Test]
    public async Task ReadAsync_NoPreambleButMeta_ReadsTheMeta()
    {
        var bytes = DicomTestEncoder.Part10(SampleWithPixelData(), ExplicitLE, preamble: false);

        var file = await DicomFileReader.ReadAsync(new MemoryStream(bytes));

        file.HasPreamble.Should().BeFalse();
        file.FileMetaInformation.Contains(DicomTag.TransferSyntaxUID).Should().BeTrue();
        file.Dataset.Contains(DicomTag.PixelData).Should().BeTrue();
    }

    [TestCase(true, true)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    public void Read_BareDataset_DetectsTheEncoding(bool explicitVR, bool littleEndian)
    {
        var bytes = new DicomTestEncoder(explicitVR, littleEndian)
            .Text(0x0008, 0x0005, "CS", "ISO_IR 100")
            .Text(0x0010, 0x0010, "PN", "Doe^J ")
            .ToArray();

        var file = DicomFileReader.Read(bytes);

        file.HasPreamble.Should().BeFalse();
        file.FileMetaInformation.Count.Should().Be(0);
        file.TransferSyntax.IsExplicitVR.Should().Be(explicitVR);
        file.TransferSyntax.IsLittleEndian.Should().Be(littleEndian);
        file.Dataset.GetString(DicomTag.PatientName).Should().Be("Doe^J");
    }

    [Test]
    public void Read_MetaWithoutTransferSyntax_DetectsIt()
    {
        var dataset = new DicomTestEncoder(explicitVR: false).Text(0x0010, 0x0010, null, "Doe^J ").ToArray();

        var file = DicomFileReader.Read(DicomTestEncoder.Part10(dataset, null));

        file.TransferSyntax.Should().Be(TransferSyntax.ImplicitVRLittleEndian);
        file.Dataset.GetString(DicomTag.PatientName).Should().Be("Doe^J");
    }

    [Test]
    public void Read_MetaGroupLengthTooShort_KeepsReadingGroup0002()
    {
        var bytes = DicomTestEncoder.Part10(SampleWithPixelData(), ExplicitLE);
        bytes[128 + 4 + 8] = 10;

        var file = DicomFileReader.Read(bytes);

        file.FileMetaInformation.GetString(DicomTag.TransferSyntaxUID).Should().Be(ExplicitLE);
        file.Dataset.Contains(DicomTag.TransferSyntaxUID).Should().BeFalse();
        file.Dataset.Contains(DicomTag.PixelData).Should().BeTrue();
    }

    [Test]
    public void Read_DatasetDeclaredExplicitButImplicit_FollowsTheBytes()
    {
        var dataset = new DicomTestEncoder(explicitVR: false).Text(0x0010, 0x0010, null, "Doe^J ").ToArray();

        var file = DicomFileReader.Read(DicomTestEncoder.Part10(dataset, ExplicitLE));

        file.Dataset.GetString(DicomTag.PatientName).Should().Be("Doe^J");
    }

    [Test]
    public void Read_TrailingNulBytes_AreIgnored()
    {
        var bytes = DicomTestEncoder.Part10([.. SampleWithPixelData(), .. new byte[37]], ExplicitLE);

        var file = DicomFileReader.Read(bytes);

        file.Dataset.Contains(new DicomTag(0xFFFC, 0xFFFC)).Should().BeTrue();
    }

    [Test]
    public void Read_TrailingGarbageAfterNulBytes_ThrowsWithItsOffset()
    {
        var bytes = DicomTestEncoder.Part10([.. SampleWithPixelData(), .. new byte[20], 0x42], ExplicitLE);

        var act = () => DicomFileReader.Read(bytes);

        act.Should().Throw<DicomContentException>().Which.Offset.Should().Be(bytes.Length - 1);
    }

    [Test]
    public void Read_OddLengthsGroupLengthsAndPrivateElements_AreKept()
    {
        var bytes = new DicomTestEncoder()
            .Element(0x0008, 0x0000, "UL", [4, 0, 0, 0])
            .Text(0x0008, 0x0060, "CS", "CT")
            .Text(0x0009, 0x0010, "LO", "ACME")
            .Text(0x0009, 0x1001, "LO", "odd")
            .ToArray();

        var dataset = DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian);

        dataset.Select(e => e.Tag.Value).Should().Equal(0x00080000u, 0x00080060u, 0x00090010u, 0x00091001u);
        ((DicomValueElement)dataset[new DicomTag(0x0009, 0x1001)]!).Length.Should().Be(3);
    }

    [Test]
    public void Read_StrayDelimitersAtTheTopLevel_AreSkipped()
    {
        var bytes = new DicomTestEncoder()
            .Text(0x0008, 0x0060, "CS", "CT")
            .ItemDelimiter()
            .SequenceDelimiter()
            .Text(0x0010, 0x0020, "LO", "ID")
            .ToArray();

        var dataset = DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian);

        dataset.Select(e => e.Tag.Value).Should().Equal(0x00080060u, 0x00100020u);
    }

    [Test]
    public void Read_ItemWithoutItsDelimiter_EndsAtTheSequenceDelimiter()
    {
        var bytes = new DicomTestEncoder()
            .Header(0x0008, 0x1115, "SQ", DicomElementHeader.UndefinedLength)
            .Item().Text(0x0010, 0x0020, "LO", "ID")
            .SequenceDelimiter()
            .Text(0x0010, 0x0030, "DA", "20260101")
            .ToArray();

        var dataset = DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian);

        dataset.GetSequence(SequenceTag)!.Items.Single().GetString(DicomTag.PatientID).Should().Be("ID");
        dataset.Contains(new DicomTag(0x0010, 0x0030)).Should().BeTrue();
    }

    [Test]
    public void Read_UndefinedLengthItemEndingWithItsDefinedLengthSequence_EndsThere()
    {
        var item = new DicomTestEncoder().Text(0x0010, 0x0020, "LO", "ID").ToArray();
        var bytes = new DicomTestEncoder()
            .Header(0x0008, 0x1115, "SQ", (uint)item.Length + 8)
            .Item().Raw(item)
            .Text(0x0010, 0x0030, "DA", "20260101")
            .ToArray();

        var dataset = DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian);

        dataset.GetSequence(SequenceTag)!.Items.Single().Count.Should().Be(1);
        dataset.Contains(new DicomTag(0x0010, 0x0030)).Should().BeTrue();
    }

    [Test]
    public async Task DatasetReader_CommandSetImplicitVR_ReadsGroup0000()
    {
        var bytes = new DicomTestEncoder(explicitVR: false)
            .Element(0x0000, 0x0000, null, [18, 0, 0, 0])
            .Text(0x0000, 0x0002, null, "1.2.840.10008.1.1\0")
            .ToArray();

        var dataset = await DicomDatasetReader.ReadAsync(new NonSeekableStream(new MemoryStream(bytes)), TransferSyntax.ImplicitVRLittleEndian);

        dataset.Count.Should().Be(2);
        dataset.TryGetBytes(new DicomTag(0x0000, 0x0002), out var uid).Should().BeTrue();
        uid.Length.Should().Be(18);
    }

    [Test]
    public async Task ReadAsync_CanceledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => DicomFileReader.ReadAsync(new MemoryStream(DicomTestEncoder.Part10(SampleWithPixelData(), ExplicitLE)), null, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Test]
    public async Task ReadAsync_ValueLargerThanTheBuffer_IsReadWhole()
    {
        var big = PixelBytes(200_000);
        var bytes = DicomTestEncoder.Part10(new DicomTestEncoder().Element(0x7FE0, 0x0010, "OB", big).ToArray(), ExplicitLE);

        var file = await DicomFileReader.ReadAsync(new NonSeekableStream(new MemoryStream(bytes)));

        file.Dataset.TryGetBytes(DicomTag.PixelData, out var pixels).Should().BeTrue();
        pixels.ToArray().Should().Equal(big);
    }

    internal static byte[] SampleWithSequences(bool undefinedLengths)
    {
        var nestedItem = new DicomTestEncoder().Text(0x0010, 0x0010, "PN", "Nested^Name ").ToArray();
        var nested = new DicomTestEncoder();
        if (undefinedLengths)
        {
            nested.Header(0x0008, 0x1140, "SQ", DicomElementHeader.UndefinedLength).Item().Raw(nestedItem).ItemDelimiter().SequenceDelimiter();
        }
        else
        {
            nested.Header(0x0008, 0x1140, "SQ", (uint)nestedItem.Length + 8).Item((uint)nestedItem.Length).Raw(nestedItem);
        }

        var item1 = new DicomTestEncoder().Text(0x0010, 0x0020, "LO", "A1").ToArray();
        var item2 = new DicomTestEncoder().Text(0x0010, 0x0020, "LO", "B2").Raw(nested.ToArray()).ToArray();
        var sequence = new DicomTestEncoder();
        if (undefinedLengths)
        {
            sequence.Header(0x0008, 0x1115, "SQ", DicomElementHeader.UndefinedLength)
                .Item().Raw(item1).ItemDelimiter()
                .Item().Raw(item2).ItemDelimiter()
                .SequenceDelimiter();
        }
        else
        {
            sequence.Header(0x0008, 0x1115, "SQ", (uint)(item1.Length + item2.Length + 16))
                .Item((uint)item1.Length).Raw(item1)
                .Item((uint)item2.Length).Raw(item2);
        }

        return new DicomTestEncoder()
            .Text(0x0008, 0x0005, "CS", "ISO_IR 192")
            .Raw(sequence.ToArray())
            .Text(0x0010, 0x0020, "LO", "AFTER ")
            .ToArray();
    }

    internal static byte[] SampleWithPixelData() => new DicomTestEncoder()
        .Text(0x0008, 0x0060, "CS", "OT")
        .UnsignedShort(0x0028, 0x0010, 10)
        .UnsignedShort(0x0028, 0x0011, 50)
        .Element(0x7FE0, 0x0010, "OB", PixelBytes(1000))
        .Element(0xFFFC, 0xFFFC, "OB", [0, 0])
        .ToArray();

    internal static byte[] Encapsulated() => new DicomTestEncoder()
        .UnsignedShort(0x0028, 0x0010, 10)
        .Header(0x7FE0, 0x0010, "OB", DicomElementHeader.UndefinedLength)
        .Item(4).Raw([0, 0, 0, 0])

        // A fragment whose bytes look like a sequence delimiter: lengths, not scanning, find the end.
        .Item(6).Raw([0xFF, 0xD8, 0xFE, 0xFF, 0xDD, 0xE0])
        .Item(2).Raw([0xFF, 0xD9])
        .SequenceDelimiter()
        .Element(0xFFFC, 0xFFFC, "OB", [0, 0])
        .ToArray();

    internal static byte[] PixelBytes(int count)
    {
        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            bytes[i] = (byte)(i * 7);
        }

        return bytes;
    }
}
