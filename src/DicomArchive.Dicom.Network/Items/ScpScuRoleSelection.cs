using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Items;

/// <summary>
/// SCP/SCU role selection sub-item (PS3.7 D.3.3.4, Table D.3-9/D.3-10).
/// <code>
///  0     1      2             4               6            6+n       7+n
/// +-----+------+-------------+---------------+------------+---------+---------+
/// | 54H | rsvd | item length | UID length    | SOP class  | SCU-role| SCP-role|
/// |     |      | (uint16 BE) | (uint16 BE)   | UID        | (0/1)   | (0/1)   |
/// +-----+------+-------------+---------------+------------+---------+---------+
/// </code>
/// </summary>
public sealed record ScpScuRoleSelection(string SopClassUid, bool ScuRole, bool ScpRole)
{
    internal int EncodedLength => 4 + 2 + SopClassUid.Length + 2;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader((byte)ItemType.ScpScuRoleSelection, EncodedLength - 4);
        writer.WriteUInt16(SopClassUid.Length);
        writer.WriteAscii(SopClassUid);
        writer.WriteByte(ScuRole ? (byte)1 : (byte)0);
        writer.WriteByte(ScpRole ? (byte)1 : (byte)0);
    }

    internal static ScpScuRoleSelection Read(ref PduSpanReader body)
    {
        ushort uidLength = body.ReadUInt16("UID-length");
        string uid = body.ReadAscii(uidLength, "SOP-class-uid");
        bool scu = body.ReadByte("SCU-role") != 0;
        bool scp = body.ReadByte("SCP-role") != 0;
        return new ScpScuRoleSelection(uid, scu, scp);
    }
}
