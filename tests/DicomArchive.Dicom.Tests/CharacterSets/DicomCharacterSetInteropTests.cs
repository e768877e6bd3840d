using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace DicomArchive.Dicom.Tests.CharacterSets;

/// <summary>
/// Decodes Patient's Name of every file in pydicom's charset_files and compares with what DCMTK makes of it
/// (<c>dcmdump +U8</c> converts to UTF-8 with iconv).
/// </summary>
[Category("Interop")]
public sealed partial class DicomCharacterSetInteropTests
{
    private const string CharsetFiles = "/usr/lib/python3/dist-packages/pydicom/data/charset_files";

    // This machine's DCMTK uses glibc iconv, which lacks "ISO 2022 IR 87"; for those files the expected names
    // are the PS3.5 Annex H examples the files were made from (see FileInfo.txt next to them).
    private static readonly Dictionary<string, string> ExpectedWhereDcmtkCannotConvert = new(StringComparer.Ordinal)
    {
        ["chrH31.dcm"] = "Yamada^Tarou=山田^太郎=やまだ^たろう",
        ["chrH32.dcm"] = "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう",
        ["chrJapMulti.dcm"] = "やまだ^たろう",
        ["chrJapMultiExplicitIR6.dcm"] = "やまだ^たろう",
    };

    public static IEnumerable<string> Files() =>
        Directory.Exists(CharsetFiles) ? Directory.GetFiles(CharsetFiles, "*.dcm").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal) : ["<missing>"];

    [TestCaseSource(nameof(Files))]
    public void Decode_PatientName_MatchesDcmtk(string fileName)
    {
        var path = Path.Combine(CharsetFiles, fileName);
        if (!File.Exists(path))
        {
            IgnoreOrFail($"pydicom charset files not found at {CharsetFiles}");
        }

        var sample = CharsetFileSample.TryRead(path);
        if (sample?.PatientName is null)
        {
            Assert.Ignore("no top-level Patient's Name in explicit VR little endian");
        }

        var expected = ExpectedWhereDcmtkCannotConvert.TryGetValue(fileName, out var known) ? known : DcmdumpPatientName(path);
        var set = DicomCharacterSet.FromTerms(sample!.Terms);
        var actual = set.Decode(sample.PatientName, DicomVR.PN).TrimEnd(' ', '\0');

        set.UnknownTerms.Should().BeEmpty();
        actual.Should().Be(expected);
    }

    [TestCaseSource(nameof(Files))]
    public void Decode_EveryTopLevelTextElement_MatchesDcmtk(string fileName)
    {
        var path = Path.Combine(CharsetFiles, fileName);
        if (!File.Exists(path))
        {
            IgnoreOrFail($"pydicom charset files not found at {CharsetFiles}");
        }

        var sample = CharsetFileSample.TryRead(path);
        if (sample is null || ExpectedWhereDcmtkCannotConvert.ContainsKey(fileName))
        {
            Assert.Ignore("not explicit VR little endian, or DCMTK here cannot convert this character set");
        }

        var dump = Dcmdump(path);
        if (!dump.Contains("(0008,0005)", StringComparison.Ordinal))
        {
            Assert.Ignore("DCMTK here could not convert this file to UTF-8");
        }

        var set = DicomCharacterSet.FromTerms(sample!.Terms);
        var compared = 0;
        foreach (var (tag, vr, value) in sample.Elements)
        {
            if (!DicomVRInfo.UsesSpecificCharacterSet(vr) || value.Length == 0)
            {
                continue;
            }

            var actual = set.Decode(value, vr).TrimEnd(' ', '\0');
            if (actual.Any(char.IsControl))
            {
                continue; // dcmdump prints one line per element; multi-line text cannot be matched.
            }

            var line = new Regex($@"^\({tag.Group:x4},{tag.Element:x4}\) {DicomVRInfo.Name(vr)} \[(.*)\]\s+#", RegexOptions.Multiline).Match(dump);
            line.Success.Should().BeTrue($"dcmdump prints {tag}");
            actual.Should().Be(line.Groups[1].Value.TrimEnd(' '), $"{tag} {DicomVRInfo.Name(vr)}");
            compared++;
        }

        compared.Should().BePositive();
    }

    private static string DcmdumpPatientName(string path)
    {
        var output = Dcmdump(path);
        var match = PatientNameLine().Match(output);
        if (!match.Success)
        {
            Assert.Fail($"dcmdump printed no Patient's Name for {path}: {output}");
        }

        return match.Groups[1].Value;
    }

    private static string Dcmdump(string path)
    {
        var start = new ProcessStartInfo("dcmdump", ["+U8", "+L", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.Environment["TCP_NODELAY"] = "1";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            IgnoreOrFail("dcmdump (apt package dcmtk) is not installed");
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return output;
        }
    }

    private static void IgnoreOrFail(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Ignore(reason);
    }

    [GeneratedRegex(@"^\(0010,0010\) PN \[(.*)\]\s+#", RegexOptions.Multiline)]
    private static partial Regex PatientNameLine();
}
