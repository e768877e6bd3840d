using DicomArchive.Dicom;

namespace DicomArchive.Benchmarks.Corpus;

/// <summary>
/// Two private blocks (PS3.5 7.8.1) as vendors write them: a creator in (gggg,0010) reserving (gggg,10xx), with
/// explicit VRs, some of them binary; readers must carry them through untouched.
/// </summary>
public static class PrivateBlocks
{
    public static void Add(DicomDataset ds, int slice)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ds.AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME CT HEADER 1.0");
        ds.AddOrUpdate(new DicomTag(0x0009, 0x1001), DicomVR.LO, "SCAN");
        ds.AddOrUpdate(new DicomTag(0x0009, 0x1002), DicomVR.SH, "CTREC");
        ds.AddOrUpdate(new DicomTag(0x0009, 0x1003), DicomVR.UL, (long)slice);
        ds.AddOrUpdate(new DicomTag(0x0009, 0x1004), DicomVR.FD, 0.25, 0.5, 0.75);
        ds.AddOrUpdate(new DicomTag(0x0009, 0x1005), DicomVR.DS, 1.0, 2.0);
        ds.AddOrUpdate(new DicomTag(0x0009, 0x1006), DicomVR.OB, new byte[64]);
        ds.AddOrUpdate(new DicomTag(0x0019, 0x0010), DicomVR.LO, "ACME CT RECON 2.1");
        ds.AddOrUpdate(new DicomTag(0x0019, 0x1001), DicomVR.SS, -5L, 5L);
        ds.AddOrUpdate(new DicomTag(0x0019, 0x1002), DicomVR.LO, "HR", "SMOOTH");
        ds.AddOrUpdate(new DicomTag(0x0019, 0x1003), DicomVR.US, 3L);
        ds.AddOrUpdate(new DicomTag(0x0019, 0x1004), DicomVR.FL, 1.5);
        ds.AddOrUpdate(new DicomTag(0x0019, 0x1005), DicomVR.UN, new byte[32]);
    }
}
