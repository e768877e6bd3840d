using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Items;

/// <summary>
/// SOP class common extended negotiation sub-item (PS3.7 D.3.3.6, Table D.3-12).
/// <code>
///  0     1         2             4          6      6+n        8+n      8+n+m          10+n+m
/// +-----+---------+-------------+----------+------+----------+--------+--------------+-----------------------+
/// | 57H | sub-item| item length | SOP class| SOP  | service  |service | related gen. | related general SOP   |
/// |     | version | (uint16 BE) | UID len  | class| class UID|class   | id. length   | class UIDs, each:      |
/// |     | (0)     |             |          | UID  | length   | UID    | (uint16 BE)  | uint16 length + UID   |
/// +-----+---------+-------------+----------+------+----------+--------+--------------+-----------------------+
/// </code>
/// </summary>
public sealed class SopClassCommonExtendedNegotiation
{
    public SopClassCommonExtendedNegotiation(string sopClassUid, string serviceClassUid, params IEnumerable<string> relatedGeneralSopClassUids)
    {
        SopClassUid = sopClassUid;
        ServiceClassUid = serviceClassUid;
        RelatedGeneralSopClassUids = [.. relatedGeneralSopClassUids];
    }

    public string SopClassUid { get; }

    public string ServiceClassUid { get; }

    public IReadOnlyList<string> RelatedGeneralSopClassUids { get; }

    int RelatedLength
    {
        get
        {
            int length = 0;
            foreach (string uid in RelatedGeneralSopClassUids)
            {
                length += 2 + uid.Length;
            }

            return length;
        }
    }

    internal int EncodedLength => 4 + 2 + SopClassUid.Length + 2 + ServiceClassUid.Length + 2 + RelatedLength;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteByte((byte)ItemType.SopClassCommonExtendedNegotiation);
        writer.WriteByte(0); // PS3.7 D.3.3.6: sub-item version 0.
        writer.WriteUInt16(EncodedLength - 4);
        writer.WriteUInt16(SopClassUid.Length);
        writer.WriteAscii(SopClassUid);
        writer.WriteUInt16(ServiceClassUid.Length);
        writer.WriteAscii(ServiceClassUid);
        writer.WriteUInt16(RelatedLength);
        foreach (string uid in RelatedGeneralSopClassUids)
        {
            writer.WriteUInt16(uid.Length);
            writer.WriteAscii(uid);
        }
    }

    internal static SopClassCommonExtendedNegotiation Read(ref PduSpanReader body)
    {
        string sopClass = body.ReadAscii(body.ReadUInt16("SOP-class-uid-length"), "SOP-class-uid");
        string serviceClass = body.ReadAscii(body.ReadUInt16("Service-class-uid-length"), "Service-class-uid");
        var relatedReader = body.ReadNested(body.ReadUInt16("Related-general-sop-class-identification-length"),
            "Related-general-sop-class-identification");
        var related = new List<string>();
        while (!relatedReader.IsEmpty)
        {
            related.Add(relatedReader.ReadAscii(relatedReader.ReadUInt16("Related-general-sop-class-uid-length"),
                "Related-general-sop-class-uid"));
        }

        return new SopClassCommonExtendedNegotiation(sopClass, serviceClass, related);
    }
}
