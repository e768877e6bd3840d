using System.Buffers.Binary;
using System.Text;
using DicomArchive.Dicom;

namespace DicomArchive.Storage.Tests;

/// <summary>Encodes small data sets by hand (PS3.5 7.1) for the tests: explicit or implicit VR, little or big endian.</summary>
internal sealed class TestDataset
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";

    private readonly MemoryStream bytes = new();

    public TestDataset(bool explicitVR = true, bool bigEndian = false)
    {
        ExplicitVR = explicitVR;
        BigEndian = bigEndian;
    }

    public bool ExplicitVR { get; }

    public bool BigEndian { get; }

    /// <summary>A CT instance with the usual identifying attributes, in tag order.</summary>
    public static TestDataset Instance(
        string sopUid, string studyUid = "1.2.3.4", string seriesUid = "1.2.3.4.5", string patientId = "PID1",
        string patientName = "Doe^John", string modality = "CT", string sopClass = CtImageStorage, bool explicitVR = true,
        int pixelBytes = 64)
    {
        var ds = new TestDataset(explicitVR);
        ds.Text(DicomTag.SOPClassUID, DicomVR.UI, sopClass)
            .Text(DicomTag.SOPInstanceUID, DicomVR.UI, sopUid)
            .Text(DicomTag.StudyDate, DicomVR.DA, "20240102")
            .Text(DicomTag.StudyTime, DicomVR.TM, "101112")
            .Text(DicomTag.AccessionNumber, DicomVR.SH, "ACC1")
            .Text(DicomTag.Modality, DicomVR.CS, modality)
            .Text(DicomTag.StudyDescription, DicomVR.LO, "Chest")
            .Text(DicomTag.PatientName, DicomVR.PN, patientName)
            .Text(DicomTag.PatientID, DicomVR.LO, patientId)
            .Text(DicomTag.PatientBirthDate, DicomVR.DA, "19700101")
            .Text(DicomTag.PatientSex, DicomVR.CS, "M")
            .Text(DicomTag.StudyInstanceUID, DicomVR.UI, studyUid)
            .Text(DicomTag.SeriesInstanceUID, DicomVR.UI, seriesUid)
            .Text(DicomTag.StudyID, DicomVR.SH, "S1")
            .Text(DicomTag.SeriesNumber, DicomVR.IS, "3")
            .Text(DicomTag.InstanceNumber, DicomVR.IS, "7");
        if (pixelBytes > 0)
        {
            ds.Value(DicomTag.PixelData, DicomVR.OW, new byte[pixelBytes]);
        }

        return ds;
    }

    public byte[] ToArray() => bytes.ToArray();

    public TestDataset Text(DicomTag tag, DicomVR vr, string value) => Value(tag, vr, Pad(Encoding.Latin1.GetBytes(value), vr));

    public TestDataset Value(DicomTag tag, DicomVR vr, byte[] value)
    {
        Header(tag, vr, (uint)value.Length);
        bytes.Write(value);
        return this;
    }

    /// <summary>Writes an element header; length 0xFFFFFFFF for undefined length.</summary>
    public TestDataset Header(DicomTag tag, DicomVR vr, uint length)
    {
        Tag(tag);
        if (ExplicitVR && !tag.IsDelimiter)
        {
            bytes.WriteByte((byte)((ushort)vr >> 8));
            bytes.WriteByte((byte)vr);
            if (DicomVRInfo.HasLongExplicitLength(vr))
            {
                bytes.Write([0, 0]);
                UInt32(length);
            }
            else
            {
                UInt16((ushort)length);
            }
        }
        else
        {
            UInt32(length);
        }

        return this;
    }

    /// <summary>An item or delimiter: tag plus 4-byte length.</summary>
    public TestDataset Delimiter(DicomTag tag, uint length = 0)
    {
        Tag(tag);
        UInt32(length);
        return this;
    }

    private static byte[] Pad(byte[] value, DicomVR vr)
    {
        if ((value.Length & 1) == 0)
        {
            return value;
        }

        var padded = new byte[value.Length + 1];
        value.CopyTo(padded, 0);
        padded[^1] = vr == DicomVR.UI ? (byte)0 : (byte)' ';
        return padded;
    }

    private void Tag(DicomTag tag)
    {
        UInt16(tag.Group);
        UInt16(tag.Element);
    }

    private void UInt16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        if (BigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        }

        bytes.Write(b);
    }

    private void UInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        if (BigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        }

        bytes.Write(b);
    }
}
