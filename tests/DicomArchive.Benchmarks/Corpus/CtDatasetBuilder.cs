using DicomArchive.Dicom;

namespace DicomArchive.Benchmarks.Corpus;

/// <summary>
/// A CT Image (PS3.3 A.3) shaped like one from a current multi-slice scanner: patient, general study, general series,
/// frame of reference, general equipment, general image, image plane, image pixel, CT image, VOI LUT and SOP common
/// modules, a few sequences, and two private blocks, about 150 elements in all, then 512x512 16-bit OW pixel data.
/// </summary>
public static class CtDatasetBuilder
{
    public const int Rows = 512;
    public const int Columns = 512;

    /// <summary>CT Image Storage.</summary>
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.2";

    public static DicomDataset Create(CorpusPlacement placement, string sopInstanceUid, Random random, CorpusUidGenerator uids)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(uids);
        var ds = new DicomDataset();
        var slice = placement.InstanceNumber;
        var sliceLocation = -250.0 + (slice * 1.25);
        CommonModules.AddPatientStudySeries(ds, placement, sopInstanceUid, SopClassUid, random);
        ds.AddOrUpdate(DicomTag.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.AddOrUpdate(DicomTag.Manufacturer, "ACME Medical");
        ds.AddOrUpdate(DicomTag.ManufacturerModelName, "Tomograph 128");
        ds.AddOrUpdate(DicomTag.StationName, "CT01");
        ds.AddOrUpdate(DicomTag.DeviceSerialNumber, "88231");
        ds.AddOrUpdate(DicomTag.SoftwareVersions, "VB40A", "SOMA 4.2");
        ds.AddOrUpdate(DicomTag.ProtocolName, placement.Study.Description);
        ds.AddOrUpdate(DicomTag.BodyPartExamined, "CHEST");
        ds.AddOrUpdate(DicomTag.ScanOptions, "HELICAL MODE");
        ds.AddOrUpdate(DicomTag.ContrastBolusAgent, "Iohexol 350");
        ds.AddOrUpdate(DicomTag.ContrastBolusRoute, "IV");
        ds.AddOrUpdate(DicomTag.ContrastBolusVolume, DicomVR.DS, 80.0);

        // CT Image module (PS3.3 C.8.2.1) and acquisition parameters.
        ds.AddOrUpdate(DicomTag.SliceThickness, DicomVR.DS, 1.25);
        ds.AddOrUpdate(DicomTag.KVP, DicomVR.DS, 120.0);
        ds.AddOrUpdate(DicomTag.DataCollectionDiameter, DicomVR.DS, 500.0);
        ds.AddOrUpdate(DicomTag.ReconstructionDiameter, DicomVR.DS, 380.0);
        ds.AddOrUpdate(DicomTag.DistanceSourceToDetector, DicomVR.DS, 1085.6);
        ds.AddOrUpdate(DicomTag.DistanceSourceToPatient, DicomVR.DS, 595.0);
        ds.AddOrUpdate(DicomTag.GantryDetectorTilt, DicomVR.DS, 0.0);
        ds.AddOrUpdate(DicomTag.TableHeight, DicomVR.DS, 142.5);
        ds.AddOrUpdate(DicomTag.RotationDirection, "CW");
        ds.AddOrUpdate(DicomTag.ExposureTime, DicomVR.IS, 500L);
        ds.AddOrUpdate(DicomTag.XRayTubeCurrent, DicomVR.IS, (long)random.Next(150, 400));
        ds.AddOrUpdate(DicomTag.Exposure, DicomVR.IS, (long)random.Next(80, 200));
        ds.AddOrUpdate(DicomTag.FilterType, "FLAT");
        ds.AddOrUpdate(DicomTag.GeneratorPower, DicomVR.IS, 48L);
        ds.AddOrUpdate(DicomTag.FocalSpots, DicomVR.DS, 1.2);
        ds.AddOrUpdate(DicomTag.ConvolutionKernel, "B30f");
        ds.AddOrUpdate(DicomTag.PatientPosition, "FFS");
        ds.AddOrUpdate(DicomTag.RevolutionTime, DicomVR.FD, 0.5);
        ds.AddOrUpdate(DicomTag.SingleCollimationWidth, DicomVR.FD, 0.6);
        ds.AddOrUpdate(DicomTag.TotalCollimationWidth, DicomVR.FD, 38.4);
        ds.AddOrUpdate(DicomTag.TableSpeed, DicomVR.FD, 46.0);
        ds.AddOrUpdate(DicomTag.TableFeedPerRotation, DicomVR.FD, 23.0);
        ds.AddOrUpdate(DicomTag.SpiralPitchFactor, DicomVR.FD, 0.6);
        ds.AddOrUpdate(DicomTag.DataCollectionCenterPatient, DicomVR.FD, 0.0, -142.5, sliceLocation);
        ds.AddOrUpdate(DicomTag.ReconstructionTargetCenterPatient, DicomVR.FD, 0.0, -142.5, sliceLocation);
        ds.AddOrUpdate(DicomTag.ExposureModulationType, "XYZ_EC");
        ds.AddOrUpdate(DicomTag.CTDIvol, DicomVR.FD, 8.41);
        ds.AddOrUpdate(DicomTag.CTDIPhantomTypeCodeSequence, Code("113691", "DCM", "IEC Body Dosimetry Phantom"));
        ds.AddOrUpdate(DicomTag.AcquisitionNumber, DicomVR.IS, 2L);
        ds.AddOrUpdate(DicomTag.IrradiationEventUID, uids.Next());

        // Image Plane (PS3.3 C.7.6.2) and Image Pixel (C.7.6.3) modules.
        ds.AddOrUpdate(DicomTag.ImagePositionPatient, DicomVR.DS, -190.0, -332.5, sliceLocation);
        ds.AddOrUpdate(DicomTag.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0);
        ds.AddOrUpdate(DicomTag.SliceLocation, DicomVR.DS, sliceLocation);
        ds.AddOrUpdate(DicomTag.PixelSpacing, DicomVR.DS, 0.7421875, 0.7421875);
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, DicomVR.US, 1L);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, "MONOCHROME2");
        ds.AddOrUpdate(DicomTag.Rows, DicomVR.US, Rows);
        ds.AddOrUpdate(DicomTag.Columns, DicomVR.US, Columns);
        ds.AddOrUpdate(DicomTag.BitsAllocated, DicomVR.US, 16L);
        ds.AddOrUpdate(DicomTag.BitsStored, DicomVR.US, 12L);
        ds.AddOrUpdate(DicomTag.HighBit, DicomVR.US, 11L);
        ds.AddOrUpdate(DicomTag.PixelRepresentation, DicomVR.US, 0L);
        ds.AddOrUpdate(DicomTag.SmallestImagePixelValue, DicomVR.US, 0L);
        ds.AddOrUpdate(DicomTag.LargestImagePixelValue, DicomVR.US, 4095L);
        ds.AddOrUpdate(DicomTag.BurnedInAnnotation, "NO");
        ds.AddOrUpdate(DicomTag.WindowCenter, DicomVR.DS, 40.0, -600.0);
        ds.AddOrUpdate(DicomTag.WindowWidth, DicomVR.DS, 400.0, 1500.0);
        ds.AddOrUpdate(DicomTag.RescaleIntercept, DicomVR.DS, -1024.0);
        ds.AddOrUpdate(DicomTag.RescaleSlope, DicomVR.DS, 1.0);
        ds.AddOrUpdate(DicomTag.RescaleType, "HU");
        ds.AddOrUpdate(DicomTag.WindowCenterWidthExplanation, "WINDOW1", "WINDOW2");
        ds.AddOrUpdate(DicomTag.LossyImageCompression, "00");

        // Sequences: what a scanner carries for the referenced topogram and the anatomy.
        var reference = new DicomDataset()
            .AddOrUpdate(DicomTag.ReferencedSOPClassUID, SopClassUid)
            .AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, uids.Next());
        ds.AddOrUpdate(DicomTag.ReferencedImageSequence, reference);
        ds.AddOrUpdate(DicomTag.AnatomicRegionSequence, Code("T-D3000", "SRT", "Chest"));
        ds.AddOrUpdate(DicomTag.SourceImageSequence, new DicomDataset()
            .AddOrUpdate(DicomTag.ReferencedSOPClassUID, SopClassUid)
            .AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, uids.Next()));

        PrivateBlocks.Add(ds, slice);
        var pixels = new byte[Rows * Columns * 2];
        PixelSynthesizer.Fill(pixels, Rows, Columns, slice, (uint)random.Next());
        ds.AddOrUpdate(DicomTag.PixelData, DicomVR.OW, pixels);
        return ds;
    }

    internal static DicomDataset Code(string value, string scheme, string meaning) => new DicomDataset()
        .AddOrUpdate(DicomTag.CodeValue, value)
        .AddOrUpdate(DicomTag.CodingSchemeDesignator, scheme)
        .AddOrUpdate(DicomTag.CodeMeaning, meaning);
}
