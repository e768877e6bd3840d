using System.Text.RegularExpressions;
using static DicomArchive.Dicom.Tests.IO.Writing.WriterTestHelpers;

namespace DicomArchive.Dicom.Tests.IO.Writing;

/// <summary>
/// DCMTK's view of a conversion: dcmdump prints the same values for a pydicom corpus file and for our conversion of
/// it into each uncompressed syntax.
/// </summary>
[Category("Interop")]
public sealed partial class DicomTranscoderInteropTests
{
    private const string TestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    public static IEnumerable<TestCaseData> Cases()
    {
        string[] files = ["CT_small.dcm", "MR_small.dcm", "MR_small_bigendian.dcm", "MR_small_implicit.dcm", "rtplan.dcm", "rtdose.dcm", "test-SR.dcm", "image_dfl.dcm"];
        foreach (var file in files)
        {
            foreach (var syntax in DicomWriterInteropTests.Syntaxes)
            {
                yield return new TestCaseData(file, syntax).SetArgDisplayNames(file, syntax.Name);
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task ConvertFileAsync_CorpusFile_DcmdumpPrintsTheSameValues(string name, TransferSyntax syntax)
    {
        RequireTool("dcmdump");
        var source = Path.Combine(TestFiles, name);
        if (!File.Exists(source))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("the pydicom corpus is required on CI");
            }

            Assert.Ignore("the pydicom corpus is not installed");
        }

        var target = Path.Combine(Path.GetTempPath(), $"transcoder-{Guid.NewGuid():N}.dcm");
        try
        {
            await using (var input = File.OpenRead(source))
            await using (var output = File.Create(target))
            {
                await DicomTranscoder.ConvertFileAsync(input, output, syntax);
            }

            var (originalExit, original) = Run("dcmdump", "-q", "-Un", "+L", source);
            var (convertedExit, converted) = Run("dcmdump", "-q", "-Un", "+L", target);
            originalExit.Should().Be(0);
            convertedExit.Should().Be(0, converted);
            var expected = Normalize(original);
            var actual = Normalize(converted);
            var index = Enumerable.Range(0, Math.Min(expected.Count, actual.Count)).FirstOrDefault(i => expected[i] != actual[i], -1);
            index.Should().Be(-1, index < 0 ? string.Empty : $"line {index} was \"{expected[index]}\", converted \"{actual[index]}\"");
            actual.Should().HaveCount(expected.Count);
        }
        finally
        {
            File.Delete(target);
        }
    }

    /// <summary>The data set lines of a dump with what legitimately changes removed: lengths, length forms, delimiters, group lengths.</summary>
    private static List<string> Normalize(string dump)
    {
        var lines = new List<string>();
        foreach (var raw in dump.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("(0002,", StringComparison.Ordinal)
                || line.StartsWith("(fffe,e00d)", StringComparison.Ordinal) || line.StartsWith("(fffe,e0dd)", StringComparison.Ordinal)
                || GroupLength().IsMatch(line))
            {
                continue;
            }

            lines.Add(PixelBytes(Comment().Replace(LengthForm().Replace(line, "$1 #"), string.Empty)));
        }

        return lines;
    }

    /// <summary>
    /// Pixel data of 8 bits is OB in explicit VR but OW in implicit VR (PS3.5 A.1), which dcmdump prints as bytes or
    /// as little endian words: both become the byte sequence.
    /// </summary>
    private static string PixelBytes(string line)
    {
        if (!line.StartsWith("(7fe0,0010) OB ", StringComparison.Ordinal) && !line.StartsWith("(7fe0,0010) OW ", StringComparison.Ordinal))
        {
            return line;
        }

        var values = line[15..].Split('\\');
        var bytes = new List<string>();
        foreach (var value in values)
        {
            if (value.Length == 4)
            {
                bytes.Add(value[2..]);
                bytes.Add(value[..2]);
            }
            else
            {
                bytes.Add(value);
            }
        }

        return "(7fe0,0010) " + string.Join('\\', bytes);
    }

    [GeneratedRegex(@"^\([0-9a-f]{4},0000\)")]
    private static partial Regex GroupLength();

    [GeneratedRegex(@"\s+#\s*(\d+|u/l),\s*\d+\s.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"(Sequence|Item) with (explicit|undefined) length #")]
    private static partial Regex LengthForm();
}
