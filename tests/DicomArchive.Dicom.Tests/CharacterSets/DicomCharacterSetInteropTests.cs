using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace DicomArchive.Dicom.Tests.CharacterSets;

/// <summary>
/// Decodes the text of every file in pydicom's charset_files with our reader and character sets, and compares with
/// an independent implementation: DCMTK (<c>dcmdump +U8</c> converts to UTF-8 with iconv) and, for the ISO 2022 IR 87
/// files that this machine's iconv cannot convert, pydicom (Python's codecs).
/// </summary>
[Category("Interop")]
public sealed partial class DicomCharacterSetInteropTests
{
    private const string CharsetFiles = "/usr/lib/python3/dist-packages/pydicom/data/charset_files";
    private const string DebianPython = "/usr/bin/python3";

    /// <summary>Files with character sets DCMTK's iconv lacks here ("ISO 2022 IR 87"): pydicom is the reference.</summary>
    private static readonly HashSet<string> PydicomReference = new(StringComparer.Ordinal)
    {
        "chrH31.dcm", "chrH32.dcm", "chrJapMulti.dcm", "chrJapMultiExplicitIR6.dcm", "chrSQEncoding.dcm", "chrSQEncoding1.dcm",
    };

    public static IEnumerable<string> Files() =>
        Directory.Exists(CharsetFiles) ? Directory.GetFiles(CharsetFiles, "*.dcm").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal) : ["<missing>"];

    [TestCaseSource(nameof(Files))]
    public void Decode_PatientName_MatchesReference(string fileName)
    {
        var path = RequireFile(fileName);
        var (dataset, name) = FirstPatientName(DicomFileReader.Open(path).Dataset);
        dataset.Should().NotBeNull("every charset sample names a patient, at the top level or in a sequence item");

        var expected = PydicomReference.Contains(fileName) ? Pydicom(path)[new DicomTag(0x0010, 0x0010)] : DcmdumpPatientName(path);

        dataset!.CharacterSet.UnknownTerms.Should().BeEmpty();
        name.Should().Be(expected);
    }

    [TestCaseSource(nameof(Files))]
    public void Decode_EveryTopLevelTextElement_MatchesReference(string fileName)
    {
        var path = RequireFile(fileName);
        var dataset = DicomFileReader.Open(path).Dataset;
        var reference = PydicomReference.Contains(fileName) ? Pydicom(path) : DcmdumpTopLevel(path);
        var compared = 0;
        foreach (var element in dataset)
        {
            if (element is not DicomValueElement { Length: > 0 } || !DicomVRInfo.UsesSpecificCharacterSet(element.VR))
            {
                continue;
            }

            var actual = dataset.GetString(element.Tag);
            if (actual.Any(char.IsControl) || !reference.TryGetValue(element.Tag, out var expected))
            {
                continue; // Multi-line text cannot be matched line by line; elements the reference leaves out are not compared.
            }

            actual.Should().Be(expected, $"{element.Tag} {DicomVRInfo.Name(element.VR)}");
            compared++;
        }

        compared.Should().BePositive();
    }

    /// <summary>The first Patient's Name met depth-first, with the data set (and so the character set) it is in.</summary>
    private static (DicomDataset? Dataset, string Name) FirstPatientName(DicomDataset dataset)
    {
        if (dataset.TryGetString(DicomTag.PatientName, out var name))
        {
            return (dataset, name);
        }

        foreach (var element in dataset)
        {
            if (element is DicomSequence sequence)
            {
                foreach (var item in sequence.Items)
                {
                    var found = FirstPatientName(item);
                    if (found.Dataset is not null)
                    {
                        return found;
                    }
                }
            }
        }

        return (null, string.Empty);
    }

    private static string RequireFile(string fileName)
    {
        var path = Path.Combine(CharsetFiles, fileName);
        if (!File.Exists(path))
        {
            IgnoreOrFail($"pydicom charset files not found at {CharsetFiles} (apt package python3-pydicom)");
        }

        return path;
    }

    private static string DcmdumpPatientName(string path)
    {
        var match = PatientNameLine().Match(Run("dcmdump", ["+U8", "+L", path]));
        match.Success.Should().BeTrue($"dcmdump prints a Patient's Name for {path}");
        return match.Groups[1].Value;
    }

    /// <summary>dcmdump's top-level text elements (lines that are not indented), value as printed.</summary>
    private static Dictionary<DicomTag, string> DcmdumpTopLevel(string path)
    {
        var result = new Dictionary<DicomTag, string>();
        foreach (Match line in TopLevelLine().Matches(Run("dcmdump", ["+U8", "+L", path])))
        {
            var tag = new DicomTag(Convert.ToUInt16(line.Groups[1].Value, 16), Convert.ToUInt16(line.Groups[2].Value, 16));
            result[tag] = line.Groups[3].Value.TrimEnd(' ');
        }

        return result;
    }

    /// <summary>
    /// pydicom's decoding of the text elements, depth-first, the first occurrence of each tag (so a top-level element
    /// wins over one in a sequence item), multi-values joined with backslash.
    /// </summary>
    private static Dictionary<DicomTag, string> Pydicom(string path)
    {
        if (!File.Exists(DebianPython))
        {
            IgnoreOrFail("Debian's python3 with pydicom is not installed");
        }

        const string script = """
            import sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            seen = set()
            for e in ds.iterall():
                if e.tag in seen:
                    continue
                seen.add(e.tag)
                if e.VR in ('SH','LO','ST','LT','PN','UC','UT') and e.value not in (None, ''):
                    v = e.value
                    text = '\\'.join(str(x) for x in v) if isinstance(v, (list, pydicom.multival.MultiValue)) else str(v)
                    sys.stdout.write('%04X%04X\t%s\n' % (e.tag.group, e.tag.element, text.replace('\n', ' ')))
            """;
        var result = new Dictionary<DicomTag, string>();
        foreach (var line in Run(DebianPython, ["-c", script, path]).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            result[new DicomTag(Convert.ToUInt32(line[..tab], 16))] = line[(tab + 1)..].TrimEnd(' ');
        }

        return result;
    }

    private static string Run(string tool, string[] args)
    {
        var start = new ProcessStartInfo(tool, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            IgnoreOrFail($"{tool} is not installed (apt packages dcmtk, python3-pydicom)");
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

    [GeneratedRegex(@"^\s*\(0010,0010\) PN \[(.*)\]\s+#", RegexOptions.Multiline)]
    private static partial Regex PatientNameLine();

    [GeneratedRegex(@"^\(([0-9a-f]{4}),([0-9a-f]{4})\) (?:SH|LO|ST|LT|PN|UC|UT) \[(.*)\]\s+#", RegexOptions.Multiline)]
    private static partial Regex TopLevelLine();
}
