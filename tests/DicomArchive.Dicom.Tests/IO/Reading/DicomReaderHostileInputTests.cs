namespace DicomArchive.Dicom.Tests.IO.Reading;

public sealed class DicomReaderHostileInputTests
{
    private const long FewMegabytes = 4 * 1024 * 1024;

    [Test]
    public void Read_LengthBeyondEndOfSource_ThrowsAtTheHeaderWithoutAllocating()
    {
        var bytes = new DicomTestEncoder()
            .Text(0x0008, 0x0060, "CS", "CT")
            .Header(0x7FE0, 0x0010, "OB", 0x7FFFFFF0)
            .Raw([1, 2, 3, 4])
            .ToArray();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian);

        act.Should().Throw<DicomContentException>().Which.Offset.Should().Be(10);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(FewMegabytes);
    }

    [Test]
    public void Read_LengthBeyondEndOfSeekableStream_ThrowsWithoutAllocating()
    {
        var bytes = DicomTestEncoder.Part10(new DicomTestEncoder().Header(0x0010, 0x1000, "UT", 0xFFFFFFF0).Raw([0x41, 0x42]).ToArray(), "1.2.840.10008.1.2.1");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => DicomFileReader.Read(new MemoryStream(bytes));

        act.Should().Throw<DicomContentException>().WithMessage("*larger than*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(FewMegabytes);
    }

    [Test]
    public void Read_HostileLengthsOnNonSeekableStream_AllocateOnlyWhatArrives()
    {
        // The end of a network stream is unknown: a huge declared length must not become a huge allocation.
        var bytes = new DicomTestEncoder()
            .Header(0x7FE0, 0x0010, "OB", 0x7FFFFFF0)
            .Raw(new byte[3000])
            .ToArray();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => DicomDatasetReader.Read(new NonSeekableStream(new MemoryStream(bytes)), TransferSyntax.ExplicitVRLittleEndian);

        act.Should().Throw<DicomContentException>();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(FewMegabytes);
    }

    [Test]
    public void Read_ItemLongerThanItsSequence_Throws()
    {
        var bytes = new DicomTestEncoder()
            .Header(0x0008, 0x1115, "SQ", 16)
            .Item(100)
            .Text(0x0010, 0x0020, "LO", "ID")
            .Raw(new byte[200])
            .ToArray();

        var act = () => DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian);

        act.Should().Throw<DicomContentException>().WithMessage("*enclosing*");
    }

    [Test]
    public void Read_ElementRunningPastItsItem_Throws()
    {
        var bytes = new DicomTestEncoder()
            .Header(0x0008, 0x1115, "SQ", DicomElementHeader.UndefinedLength)
            .Item(6)
            .Text(0x0010, 0x0020, "LO", "ID")
            .SequenceDelimiter()
            .ToArray();

        var act = () => DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void Read_FragmentOfUndefinedLength_Throws()
    {
        var bytes = new DicomTestEncoder()
            .Header(0x7FE0, 0x0010, "OB", DicomElementHeader.UndefinedLength)
            .Item(0)
            .Item()
            .Raw(new byte[16])
            .ToArray();

        var act = () => DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian);

        act.Should().Throw<DicomContentException>().WithMessage("*undefined length*").Which.Offset.Should().Be(20);
    }

    [Test]
    public void Read_NonItemInSequence_Throws()
    {
        var bytes = new DicomTestEncoder()
            .Header(0x0008, 0x1115, "SQ", DicomElementHeader.UndefinedLength)
            .Text(0x0010, 0x0020, "LO", "ID")
            .ToArray();

        var act = () => DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian);

        act.Should().Throw<DicomContentException>().Which.Offset.Should().Be(12);
    }

    [Test]
    public void Read_ValueLongerThanMaxValueLength_Throws()
    {
        var bytes = new DicomTestEncoder().Element(0x7FE0, 0x0010, "OB", new byte[100]).ToArray();

        var act = () => DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian, new DicomReaderOptions { MaxValueLength = 50 });

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void Read_HundredThousandNestedSequences_StopsAtTheDepthLimit()
    {
        var encoder = new DicomTestEncoder();
        for (var i = 0; i < 100_000; i++)
        {
            encoder.Header(0x0008, 0x1115, "SQ", DicomElementHeader.UndefinedLength).Item();
        }

        var bytes = encoder.ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => DicomDatasetReader.Read(bytes, TransferSyntax.ExplicitVRLittleEndian);

        act.Should().Throw<DicomContentException>().WithMessage("*nested*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(FewMegabytes);
    }

    [Test]
    public void Read_EveryTruncationOfSmallFiles_ThrowsOnlyContentExceptions()
    {
        var files = new[]
        {
            DicomTestEncoder.Part10(DicomFileReaderTests.SampleWithSequences(true), "1.2.840.10008.1.2.1"),
            DicomTestEncoder.Part10(DicomFileReaderTests.SampleWithSequences(false), "1.2.840.10008.1.2.1"),
            DicomTestEncoder.Part10(DicomFileReaderTests.Encapsulated(), "1.2.840.10008.1.2.4.50"),
            DicomTestEncoder.Part10(DicomTestEncoder.Deflate(DicomFileReaderTests.SampleWithSequences(true)), "1.2.840.10008.1.2.1.99"),
        };
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            for (var length = 0; length < file.Length; length++)
            {
                var truncated = file.AsMemory(0, length);
                var outcome = Outcome(() => DicomFileReader.Read(truncated));
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                Outcome(() => DicomFileReader.Read(new NonSeekableStream(new MemoryStream(file, 0, length))))
                    .Should().Be(outcome, $"a stream and memory of {length} bytes agree");
            }
        }

        outcomes.Keys.Should().BeSubsetOf(["read", nameof(DicomContentException)]);
        outcomes.GetValueOrDefault(nameof(DicomContentException)).Should().BeGreaterThan(0);
    }

    [Test]
    public void Read_RandomBytes_ThrowOnlyContentExceptions()
    {
        var random = new Random(20261125);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            if (i % 3 == 0 && bytes.Length > 140)
            {
                "DICM"u8.CopyTo(bytes.AsSpan(128));
            }

            Outcome(() => DicomFileReader.Read(bytes)).Should().BeOneOf("read", nameof(DicomContentException));
        }
    }

    internal static string Outcome(Action read)
    {
        try
        {
            read();
            return "read";
        }
        catch (Exception ex)
        {
            return ex is DicomContentException ? ex.GetType().Name : ex.ToString();
        }
    }
}
