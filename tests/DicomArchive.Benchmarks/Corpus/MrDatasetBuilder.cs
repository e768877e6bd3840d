using DicomArchive.Dicom;

namespace DicomArchive.Benchmarks.Corpus;

/// <summary>
/// A small MR Image (PS3.3 A.4), 64x64 16-bit, about 10 KB on disk: the many-small-objects end of the load,
/// where per-object costs (association, parsing, index rows, fsync) dominate.
/// </summary>
public static class MrDatasetBuilder
{
    public const int Rows = 64;
    public const int Columns = 64;

    /// <summary>MR Image Storage.</summary>
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.4";

    public static DicomDataset Create(CorpusPlacement placement, string sopInstanceUid, Random random)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(random);
        var ds = new DicomDataset();
        CommonModules.AddPatientStudySeries(ds, placement, sopInstanceUid, SopClassUid, random);
        ds.AddOrUpdate(DicomTag.ImageType, "ORIGINAL", "PRIMARY", "M", "ND");
        ds.AddOrUpdate(DicomTag.Manufacturer, "ACME Medical");
        ds.AddOrUpdate(DicomTag.ManufacturerModelName, "Magnetom 3T");
        ds.AddOrUpdate(DicomTag.ScanningSequence, "SE");
        ds.AddOrUpdate(DicomTag.SequenceVariant, "SK", "SP");
        ds.AddOrUpdate(DicomTag.BodyPartExamined, "BRAIN");
        ds.AddOrUpdate(DicomTag.ScanOptions, string.Empty);
        ds.AddOrUpdate(DicomTag.MRAcquisitionType, "2D");
        ds.AddOrUpdate(DicomTag.SliceThickness, DicomVR.DS, 5.0);
        ds.AddOrUpdate(DicomTag.RepetitionTime, DicomVR.DS, 500.0);
        ds.AddOrUpdate(DicomTag.EchoTime, DicomVR.DS, 12.0);
        ds.AddOrUpdate(DicomTag.ImagingFrequency, DicomVR.DS, 123.2);
        ds.AddOrUpdate(DicomTag.ImagedNucleus, "1H");
        ds.AddOrUpdate(DicomTag.MagneticFieldStrength, DicomVR.DS, 3.0);
        ds.AddOrUpdate(DicomTag.EchoTrainLength, DicomVR.IS, 1L);
        ds.AddOrUpdate(DicomTag.FlipAngle, DicomVR.DS, 90.0);
        ds.AddOrUpdate(DicomTag.PatientPosition, "HFS");
        ds.AddOrUpdate(DicomTag.ImagePositionPatient, DicomVR.DS, -120.0, -120.0, placement.InstanceNumber * 5.0);
        ds.AddOrUpdate(DicomTag.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0);
        ds.AddOrUpdate(DicomTag.PixelSpacing, DicomVR.DS, 3.75, 3.75);
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, DicomVR.US, 1L);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, "MONOCHROME2");
        ds.AddOrUpdate(DicomTag.Rows, DicomVR.US, Rows);
        ds.AddOrUpdate(DicomTag.Columns, DicomVR.US, Columns);
        ds.AddOrUpdate(DicomTag.BitsAllocated, DicomVR.US, 16L);
        ds.AddOrUpdate(DicomTag.BitsStored, DicomVR.US, 12L);
        ds.AddOrUpdate(DicomTag.HighBit, DicomVR.US, 11L);
        ds.AddOrUpdate(DicomTag.PixelRepresentation, DicomVR.US, 0L);
        ds.AddOrUpdate(DicomTag.WindowCenter, DicomVR.DS, 600.0);
        ds.AddOrUpdate(DicomTag.WindowWidth, DicomVR.DS, 1200.0);
        var pixels = new byte[Rows * Columns * 2];
        PixelSynthesizer.Fill(pixels, Rows, Columns, placement.InstanceNumber, (uint)random.Next());
        ds.AddOrUpdate(DicomTag.PixelData, DicomVR.OW, pixels);
        return ds;
    }
}
