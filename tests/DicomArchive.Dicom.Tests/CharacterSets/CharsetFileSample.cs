using System.Buffers.Binary;
using System.Text;

namespace DicomArchive.Dicom.Tests.CharacterSets;

/// <summary>
/// Test-only: the raw Specific Character Set and Patient's Name of a Part 10 file in Explicit VR Little Endian,
/// read naively with every top-level element before the first undefined length. Replace with DicomFile reading once the
/// reader lands.
/// </summary>
internal sealed record CharsetFileSample(string[] Terms, byte[]? PatientName, IReadOnlyList<(DicomTag Tag, DicomVR VR, byte[] Value)> Elements)
{

    public static CharsetFileSample? TryRead(string path)
    {
        var data = File.ReadAllBytes(path);
        if (data.Length < 132 || !data.AsSpan(128, 4).SequenceEqual("DICM"u8))
        {
            return null;
        }

        string[] terms = [];
        byte[]? patientName = null;
        var elements = new List<(DicomTag Tag, DicomVR VR, byte[] Value)>();
        var offset = 132;
        while (offset + 8 <= data.Length)
        {
            var group = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset));
            var element = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset + 2));
            var vr = Encoding.ASCII.GetString(data, offset + 4, 2);
            long length;
            int header;
            if (vr is "OB" or "OW" or "OF" or "OD" or "OL" or "OV" or "SQ" or "UT" or "UN" or "UC" or "UR" or "SV" or "UV")
            {
                length = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 8));
                header = 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset + 6));
                header = 8;
            }

            if (length == 0xFFFFFFFF || offset + header + length > data.Length)
            {
                break;
            }

            var value = data.AsSpan(offset + header, (int)length);
            var tag = new DicomTag(group, element);
            if (group == 0x0002 && element == 0x0010 && !Encoding.ASCII.GetString(value).TrimEnd('\0', ' ').Equals("1.2.840.10008.1.2.1", StringComparison.Ordinal))
            {
                return null;
            }

            if (tag == DicomTag.SpecificCharacterSet)
            {
                terms = Encoding.ASCII.GetString(value).Split('\\').Select(t => t.Trim(' ', '\0')).ToArray();
            }
            else if (tag == DicomTag.PatientName)
            {
                patientName = value.ToArray();
            }

            if (group != 0x0002 && DicomVRInfo.TryParse(vr, out var parsedVR))
            {
                elements.Add((tag, parsedVR, value.ToArray()));
            }

            offset += header + (int)length;
        }

        return new CharsetFileSample(terms, patientName, elements);
    }
}
