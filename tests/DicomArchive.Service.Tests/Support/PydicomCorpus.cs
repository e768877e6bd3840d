using DicomArchive.Dicom;

namespace DicomArchive.Service.Tests.Support;

/// <summary>Debian's python3-pydicom test files, as instances to send.</summary>
internal static class PydicomCorpus
{
    /// <summary>Every corpus file that is a readable Part 10 instance, one per SOP Instance UID (several samples share one).</summary>
    public static async Task<IReadOnlyList<(string File, string SopInstanceUid, string TransferSyntaxUid)>> DistinctInstancesAsync()
    {
        var result = new List<(string, string, string)>();
        if (!Directory.Exists(Dcmtk.PydicomTestFiles))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("pydicom's test files are not installed; .ci/run installs python3-pydicom");
            }

            Assert.Ignore("pydicom's test files are not installed");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Dcmtk.PydicomTestFiles, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            DicomFile dicom;
            try
            {
                dicom = await DicomFileReader.OpenAsync(file, new DicomReaderOptions { StopBeforeTag = DicomTag.PixelData });
            }
            catch (DicomContentException)
            {
                continue;
            }

            var sop = dicom.Dataset.GetString(DicomTag.SOPInstanceUID);
            if (!dicom.HasPreamble || sop.Length == 0 || !seen.Add(sop))
            {
                continue;
            }

            result.Add((file, sop, dicom.TransferSyntax.Uid));
        }

        return result;
    }

    /// <summary>storescu's option that proposes a file's transfer syntax (PS3.5 Annex A), or null when it has none.</summary>
    public static string? StorescuSyntaxOption(string transferSyntaxUid) => transferSyntaxUid switch
    {
        "1.2.840.10008.1.2" => "-xi",
        "1.2.840.10008.1.2.1" => "-xe",
        "1.2.840.10008.1.2.2" => "-xb",
        "1.2.840.10008.1.2.1.99" => "-xd",
        "1.2.840.10008.1.2.4.50" => "-xy",
        "1.2.840.10008.1.2.4.51" => "-xx",
        "1.2.840.10008.1.2.4.57" => "-xs",
        "1.2.840.10008.1.2.4.70" => "-xs",
        "1.2.840.10008.1.2.4.80" => "-xt",
        "1.2.840.10008.1.2.4.81" => "-xu",
        "1.2.840.10008.1.2.4.90" => "-xv",
        "1.2.840.10008.1.2.4.91" => "-xw",
        "1.2.840.10008.1.2.5" => "-xr",
        _ => null,
    };
}
