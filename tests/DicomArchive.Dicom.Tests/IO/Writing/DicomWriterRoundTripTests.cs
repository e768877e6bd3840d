using System.IO.Compression;
using static DicomArchive.Dicom.Tests.IO.Writing.WriterTestHelpers;

namespace DicomArchive.Dicom.Tests.IO.Writing;

/// <summary>
/// Round trips through the reader on pydicom's corpus: a file written again in its own syntax gives the data set
/// bytes it was read from, and an uncompressed file converted through every uncompressed syntax and back holds
/// the same elements.
/// </summary>
[Category("Interop")]
public sealed class DicomWriterRoundTripTests
{
    private const string Corpus = "/usr/lib/python3/dist-packages/pydicom/data";

    private static readonly DicomWriterOptions UndefinedLengths = new()
    {
        SequenceLength = DicomLengthForm.Undefined,
        ItemLength = DicomLengthForm.Undefined,
    };

    /// <summary>
    /// Files whose data set bytes cannot come back identical, each for a non-conformance of the file itself (for
    /// these the elements must still survive a write and read).
    /// </summary>
    private static readonly Dictionary<string, string> NotByteIdentical = new(StringComparer.Ordinal)
    {
        ["693_J2KI.dcm"] = WrongGroupLength,
        ["chrJapMulti.dcm"] = WrongGroupLength,
        ["chrKoreanMulti.dcm"] = WrongGroupLength,
        ["J2K_pixelrep_mismatch.dcm"] = ExplicitUN,
        ["rtdose_rle.dcm"] = ExplicitUN,
        ["rtdose_rle_1frame.dcm"] = ExplicitUN,
        ["UN_sequence.dcm"] = "an undefined-length UN sequence (implicit VR items, PS3.5 6.2.2) is written as SQ in the target syntax",
        ["SC_rgb_jpeg.dcm"] = "the data set is implicit VR although its transfer syntax (JPEG, PS3.5 A.4) is explicit VR",
        ["meta_missing_tsyntax.dcm"] = OddLength,
        ["nested_priv_SQ.dcm"] = OddLength,
    };

    private const string WrongGroupLength = "a declared group length does not match its group; the writer recalculates it (PS3.5 7.2)";
    private const string ExplicitUN = "elements the dictionary knows are encoded as UN; the writer names their VR (PS3.5 6.2.2)";
    private const string OddLength = "a value has odd length; the writer pads it (PS3.5 7.1.1)";

    public static IEnumerable<TestCaseData> CorpusFiles()
    {
        var any = false;
        foreach (var folder in new[] { Path.Combine(Corpus, "test_files"), Path.Combine(Corpus, "charset_files") })
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var path in Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal))
            {
                any = true;
                yield return new TestCaseData(path).SetArgDisplayNames(Path.GetFileName(path));
            }
        }

        if (!any)
        {
            yield return new TestCaseData(Path.Combine(Corpus, "missing")).SetArgDisplayNames("corpus-missing");
        }
    }

    private static DicomFile? TryOpen(string path)
    {
        if (!File.Exists(path))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("the pydicom corpus is required on CI (apt package python3-pydicom)");
            }

            Assert.Ignore("the pydicom corpus is not installed");
        }

        try
        {
            return DicomFileReader.Open(path);
        }
        catch (DicomContentException)
        {
            // Not readable (truncated, broken on purpose): nothing to write back.
            return null;
        }
    }

    [TestCaseSource(nameof(CorpusFiles))]
    public void Write_CorpusFileInItsOwnSyntax_SameDataSetBytes(string path)
    {
        var file = TryOpen(path);
        var bytes = File.ReadAllBytes(path);
        if (file is null || !file.HasPreamble || bytes.Length < 144 || BitConverter.ToUInt32(bytes, 132) != 0x00000002)
        {
            Assert.Pass("no readable Part 10 header with a group length to find the data set by");
        }

        var offset = 144 + (int)BitConverter.ToUInt32(bytes, 140);
        var original = bytes[offset..];
        if (file!.TransferSyntax.IsDeflated)
        {
            using var inflater = new DeflateStream(new MemoryStream(original), CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            inflater.CopyTo(inflated);
            original = inflated.ToArray();
        }

        var written = Encode(file.Dataset, file.TransferSyntax.IsDeflated ? TransferSyntax.ExplicitVRLittleEndian : file.TransferSyntax);
        if (NotByteIdentical.TryGetValue(Path.GetFileName(path), out var reason))
        {
            var reread = DicomDatasetReader.Read(written, file.TransferSyntax.IsDeflated ? TransferSyntax.ExplicitVRLittleEndian : file.TransferSyntax);
            DatasetComparer.AssertEquivalent(file.Dataset, reread);
            if (reason == WrongGroupLength)
            {
                // Keeping the group lengths read reproduces the file exactly.
                var kept = Encode(file.Dataset, file.TransferSyntax, new DicomWriterOptions { GroupLength = DicomGroupLengthMode.Keep });
                FirstDifference(original, kept).Should().Be(-1);
            }

            Assert.Pass(reason);
        }

        var firstDifference = FirstDifference(original, written);
        firstDifference.Should().Be(-1, $"the data set is {original.Length} bytes, written {written.Length}");
    }

    [TestCaseSource(nameof(CorpusFiles))]
    public void Write_UncompressedFileThroughEverySyntaxAndBack_SameElements(string path)
    {
        var file = TryOpen(path);
        if (file is null || file.TransferSyntax.IsEncapsulated)
        {
            Assert.Pass("unreadable or encapsulated: converting it needs a codec");
        }

        var dataset = file!.Dataset;
        foreach (var target in new[]
                 {
                     TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian, TransferSyntax.DeflatedExplicitVRLittleEndian,
                     TransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax,
                 })
        {
            var bytes = Encode(dataset, target, UndefinedLengths);
            dataset = DicomDatasetReader.Read(bytes, target);
        }

        DatasetComparer.AssertEquivalent(file.Dataset, dataset);
    }

    [TestCaseSource(nameof(CorpusFiles))]
    public async Task ConvertFileAsync_UncompressedFileThroughEverySyntaxAndBack_SameElements(string path)
    {
        var file = TryOpen(path);
        if (file is null || file.TransferSyntax.IsEncapsulated || !file.HasPreamble)
        {
            Assert.Pass("unreadable, encapsulated or without meta header");
        }

        if (!file!.FileMetaInformation.Contains(DicomTag.TransferSyntaxUID))
        {
            // PS3.10 7.1: (0002,0010) is Type 1; the streaming converter does not guess the encoding.
            await using var source = File.OpenRead(path);
            var act = () => DicomTranscoder.ConvertFileAsync(source, new MemoryStream(), TransferSyntax.ExplicitVRLittleEndian);
            await act.Should().ThrowAsync<DicomContentException>();
            return;
        }

        var bytes = await File.ReadAllBytesAsync(path);
        foreach (var target in new[]
                 {
                     TransferSyntax.ExplicitVRBigEndian, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.DeflatedExplicitVRLittleEndian,
                     TransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax,
                 })
        {
            using var converted = new MemoryStream();
            await DicomTranscoder.ConvertFileAsync(new MemoryStream(bytes), converted, target);
            bytes = converted.ToArray();
        }

        var back = DicomFileReader.Read(bytes);
        back.TransferSyntax.Should().Be(file.TransferSyntax);
        DatasetComparer.AssertEquivalent(file.Dataset, back.Dataset);
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return a.Length == b.Length ? -1 : length;
    }
}
