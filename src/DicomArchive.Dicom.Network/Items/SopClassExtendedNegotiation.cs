using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Items;

/// <summary>
/// SOP class extended negotiation sub-item (PS3.7 D.3.3.5, Table D.3-11).
/// <code>
///  0     1      2             4            6            6+n
/// +-----+------+-------------+------------+------------+-------------------------------------+
/// | 56H | rsvd | item length | UID length | SOP class  | service-class-application-information|
/// |     |      | (uint16 BE) | (uint16 BE)| UID        | (rest of the item)                  |
/// +-----+------+-------------+------------+------------+-------------------------------------+
/// </code>
/// </summary>
public sealed class SopClassExtendedNegotiation
{
    public SopClassExtendedNegotiation(string sopClassUid, ReadOnlyMemory<byte> serviceClassApplicationInformation)
    {
        SopClassUid = sopClassUid;
        ServiceClassApplicationInformation = serviceClassApplicationInformation;
    }

    public string SopClassUid { get; }

    /// <summary>Service-class specific bytes (e.g. PS3.4 C.3.5 query/retrieve extended negotiation flags).</summary>
    public ReadOnlyMemory<byte> ServiceClassApplicationInformation { get; }

    internal int EncodedLength => 4 + 2 + SopClassUid.Length + ServiceClassApplicationInformation.Length;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader((byte)ItemType.SopClassExtendedNegotiation, EncodedLength - 4);
        writer.WriteUInt16(SopClassUid.Length);
        writer.WriteAscii(SopClassUid);
        writer.WriteBytes(ServiceClassApplicationInformation.Span);
    }

    internal static SopClassExtendedNegotiation Read(ref PduSpanReader body)
    {
        ushort uidLength = body.ReadUInt16("SOP-class-uid-length");
        string uid = body.ReadAscii(uidLength, "SOP-class-uid");
        byte[] info = body.ReadBytes(body.Remaining, "Service-class-application-information").ToArray();
        return new SopClassExtendedNegotiation(uid, info);
    }
}
