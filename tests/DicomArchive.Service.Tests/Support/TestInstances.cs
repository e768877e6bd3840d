using DicomArchive.Dicom;

namespace DicomArchive.Service.Tests.Support;

/// <summary>Small but complete instances written with our own writer, for end-to-end tests.</summary>
internal static class TestInstances
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    public static DicomDataset Ct(string sopUid, string studyUid, string seriesUid, string patientId = "PID1", string patientName = "Doe^John",
        int pixelBytes = 512)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 100")
            .AddOrUpdate(DicomTag.SOPClassUID, CtImageStorage)
            .AddOrUpdate(DicomTag.SOPInstanceUID, sopUid)
            .AddOrUpdate(DicomTag.StudyDate, "20240102")
            .AddOrUpdate(DicomTag.StudyTime, "101112")
            .AddOrUpdate(DicomTag.AccessionNumber, "ACC-" + studyUid[^3..])
            .AddOrUpdate(DicomTag.Modality, "CT")
            .AddOrUpdate(DicomTag.StudyDescription, "Chest")
            .AddOrUpdate(DicomTag.PatientName, patientName)
            .AddOrUpdate(DicomTag.PatientID, patientId)
            .AddOrUpdate(DicomTag.PatientBirthDate, "19700101")
            .AddOrUpdate(DicomTag.PatientSex, "M")
            .AddOrUpdate(DicomTag.StudyInstanceUID, studyUid)
            .AddOrUpdate(DicomTag.SeriesInstanceUID, seriesUid)
            .AddOrUpdate(DicomTag.StudyID, "S1")
            .AddOrUpdate(DicomTag.SeriesNumber, DicomVR.IS, 3L)
            .AddOrUpdate(DicomTag.InstanceNumber, DicomVR.IS, 7L)
            .AddOrUpdate(DicomTag.Rows, DicomVR.US, 16L)
            .AddOrUpdate(DicomTag.Columns, DicomVR.US, pixelBytes / 32L)
            .AddOrUpdate(DicomTag.BitsAllocated, DicomVR.US, 16L);
        var pixels = new byte[pixelBytes];
        new Random(sopUid.Length).NextBytes(pixels);
        ds.AddOrUpdate(DicomTag.PixelData, DicomVR.OW, pixels);
        return ds;
    }

    /// <summary>An instance with the identifying attributes a query test varies.</summary>
    public static DicomDataset Instance(string sopUid, string studyUid, string seriesUid, string patientId, string patientName,
        string studyDate, string modality, string characterSet = "ISO_IR 100", string accession = "")
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, characterSet.Split('\\'));
        ds.AddOrUpdate(DicomTag.SOPClassUID, CtImageStorage)
            .AddOrUpdate(DicomTag.SOPInstanceUID, sopUid)
            .AddOrUpdate(DicomTag.StudyDate, studyDate)
            .AddOrUpdate(DicomTag.StudyTime, "093000")
            .AddOrUpdate(DicomTag.AccessionNumber, accession)
            .AddOrUpdate(DicomTag.Modality, modality)
            .AddOrUpdate(DicomTag.StudyDescription, "Study " + studyUid[^2..])
            .AddOrUpdate(DicomTag.PatientName, patientName)
            .AddOrUpdate(DicomTag.PatientID, patientId)
            .AddOrUpdate(DicomTag.PatientBirthDate, "19600101")
            .AddOrUpdate(DicomTag.PatientSex, "F")
            .AddOrUpdate(DicomTag.StudyInstanceUID, studyUid)
            .AddOrUpdate(DicomTag.SeriesInstanceUID, seriesUid)
            .AddOrUpdate(DicomTag.StudyID, "S" + studyUid[^2..])
            .AddOrUpdate(DicomTag.SeriesNumber, DicomVR.IS, 1L)
            .AddOrUpdate(DicomTag.InstanceNumber, DicomVR.IS, 1L)
            .AddOrUpdate(DicomTag.PixelData, DicomVR.OW, new byte[64]);
        return ds;
    }

    /// <summary>Writes a data set as a Part 10 file in Explicit VR Little Endian.</summary>
    public static async Task<string> SaveAsync(string folder, DicomDataset dataset)
    {
        Directory.CreateDirectory(folder);
        var sop = dataset.GetString(DicomTag.SOPInstanceUID);
        var meta = DicomFileMetaInformation.Create(dataset.GetString(DicomTag.SOPClassUID), sop, TransferSyntax.ExplicitVRLittleEndian, "TESTSCU");
        var path = Path.Combine(folder, sop + ".dcm");
        await DicomFileWriter.SaveAsync(path, new DicomFile(meta, dataset) { TransferSyntax = TransferSyntax.ExplicitVRLittleEndian });
        return path;
    }

    /// <summary>Writes <paramref name="count"/> instances of one study as Part 10 files; returns their paths.</summary>
    public static async Task<IReadOnlyList<string>> WriteStudyAsync(string folder, int count, string studyUid = "1.2.826.0.1.3680043.10.1.1",
        TransferSyntax? syntax = null)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var sop = $"{studyUid}.2.{i}";
            var ds = Ct(sop, studyUid, studyUid + ".2");
            var meta = DicomFileMetaInformation.Create(CtImageStorage, sop, syntax ?? TransferSyntax.ExplicitVRLittleEndian, "TESTSCU");
            var path = Path.Combine(folder, $"img{i:D4}.dcm");
            await DicomFileWriter.SaveAsync(path, new DicomFile(meta, ds) { TransferSyntax = syntax ?? TransferSyntax.ExplicitVRLittleEndian });
            paths.Add(path);
        }

        return paths;
    }

    public static string NewTempFolder(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "dicomarchive-service-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}
