using static DicomArchive.Dicom.Tests.IO.Writing.WriterTestHelpers;

namespace DicomArchive.Dicom.Tests.IO.Writing;

/// <summary>Files written in each uncompressed syntax read by DCMTK's dcmdump and checked by dicom3tools' dciodvfy.</summary>
[Category("Interop")]
public sealed class DicomWriterInteropTests
{
    private DirectoryInfo directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("writer-interop-");

    [TearDown]
    public void DeleteDirectory() => directory.Delete(recursive: true);

    public static IEnumerable<TransferSyntax> Syntaxes =>
    [
        TransferSyntax.ImplicitVRLittleEndian,
        TransferSyntax.ExplicitVRLittleEndian,
        TransferSyntax.ExplicitVRBigEndian,
        TransferSyntax.DeflatedExplicitVRLittleEndian,
    ];

    /// <summary>A small CT image with values of the VRs whose byte order matters and a nested sequence.</summary>
    internal static DicomDataset CtImage()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x0005), DicomVR.CS, "ISO_IR 100");
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x0008), DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x0016), DicomVR.UI, DicomFileWriterTests.CtImageStorage);
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x0018), DicomVR.UI, DicomFileWriterTests.InstanceUid);
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x0020), DicomVR.DA, "20240101");
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x0060), DicomVR.CS, "CT");
        var code = new DicomDataset();
        code.AddOrUpdate(new DicomTag(0x0008, 0x0100), DicomVR.SH, "113100");
        code.AddOrUpdate(new DicomTag(0x0008, 0x0102), DicomVR.SH, "DCM");
        code.AddOrUpdate(new DicomTag(0x0008, 0x0104), DicomVR.LO, "Basic Application Confidentiality Profile");
        var referenced = new DicomDataset();
        referenced.AddOrUpdate(new DicomTag(0x0008, 0x1150), DicomVR.UI, DicomFileWriterTests.CtImageStorage);
        referenced.AddOrUpdate(new DicomTag(0x0008, 0x1155), DicomVR.UI, "1.2.3.4.5");
        referenced.AddOrUpdate(new DicomTag(0x0040, 0xA170), code);
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x1140), referenced);
        dataset.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "DOE^JOHN");
        dataset.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, "ID1");
        dataset.AddOrUpdate(new DicomTag(0x0018, 0x0050), DicomVR.DS, 1.25);
        dataset.AddOrUpdate(new DicomTag(0x0018, 0x9306), DicomVR.FD, 0.625);
        dataset.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, "1.2.3.4.1");
        dataset.AddOrUpdate(new DicomTag(0x0020, 0x000E), DicomVR.UI, "1.2.3.4.2");
        dataset.AddOrUpdate(new DicomTag(0x0020, 0x0013), DicomVR.IS, 7L);
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0002), DicomVR.US, 1L);
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0004), DicomVR.CS, "MONOCHROME2");
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0009), new DicomTag(0x0018, 0x1063));
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0010), DicomVR.US, 4L);
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0011), DicomVR.US, 3L);
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0100), DicomVR.US, 16L);
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0101), DicomVR.US, 12L);
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0102), DicomVR.US, 11L);
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0103), DicomVR.US, 0L);
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x1052), DicomVR.DS, -1024.0);
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x1053), DicomVR.DS, 1.0);
        var pixels = new byte[4 * 3 * 2];
        for (var i = 0; i < 12; i++)
        {
            pixels[2 * i] = (byte)(i * 17);
            pixels[(2 * i) + 1] = (byte)(i % 4);
        }

        dataset.AddOrUpdate(DicomTag.PixelData, DicomVR.OW, pixels);
        return dataset;
    }

    private async Task<string> SaveAsync(TransferSyntax syntax)
    {
        var path = Path.Combine(directory.FullName, syntax.Uid + ".dcm");
        await DicomFileWriter.SaveAsync(path, new DicomFile(new DicomDataset(), CtImage()), syntax);
        return path;
    }

    [TestCaseSource(nameof(Syntaxes))]
    public async Task Dcmdump_ReadsFileInEachSyntax_WithoutErrors(TransferSyntax syntax)
    {
        RequireTool("dcmdump");
        var path = await SaveAsync(syntax);
        var (exitCode, output) = Run("dcmdump", "-M", "+L", "-Un", path);
        TestContext.Out.WriteLine(output);
        exitCode.Should().Be(0);
        output.Split('\n').Should().NotContain(line => line.StartsWith("E:", StringComparison.Ordinal) || line.StartsWith("W:", StringComparison.Ordinal));
        output.Should().Contain($"(0002,0010) UI [{syntax.Uid}]");
        output.Should().Contain("(0028,0010) US 4");
        output.Should().Contain("(0028,0011) US 3");
        output.Should().Contain("(0018,9306) FD 0.625");
        output.Should().Contain("(0028,0009) AT (0018,1063)");
        output.Should().Contain("[DOE^JOHN]");
        output.Should().Contain("[1.2.3.4.5]");
        output.Should().Contain("[113100]");
        output.Should().Contain("(7fe0,0010) OW 0000\\0111\\0222\\0333");
    }

    /// <summary>dciodvfy does not inflate Deflated Explicit VR Little Endian, so it checks the other three.</summary>
    public static IEnumerable<TransferSyntax> DciodvfySyntaxes => Syntaxes.Where(s => !s.IsDeflated);

    [TestCaseSource(nameof(DciodvfySyntaxes))]
    public async Task Dciodvfy_ChecksFileInEachSyntax_NoEncodingErrors(TransferSyntax syntax)
    {
        RequireTool("dciodvfy");
        var path = await SaveAsync(syntax);
        var (_, output) = Run("dciodvfy", path);
        TestContext.Out.WriteLine(output);

        // Our test object lacks many CT modules, so missing-attribute errors are expected; errors about the meta
        // header or the encoding itself are not.
        string[] encodingProblems =
            ["meta", "group length", "transfer syntax", "value length", "odd", "vr ", "bad", "premature", "unrecognized", "read failed", "encoding"];
        var errors = output.Split('\n').Where(line => line.Contains("Error", StringComparison.Ordinal)).ToList();
        errors.Should().NotContain(line => encodingProblems.Any(p => line.Contains(p, StringComparison.OrdinalIgnoreCase)));
    }
}
