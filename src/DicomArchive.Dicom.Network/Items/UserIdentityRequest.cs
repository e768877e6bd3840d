using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Items;

/// <summary>
/// User identity negotiation sub-item of an A-ASSOCIATE-RQ (PS3.7 D.3.3.7.1, Table D.3-14).
/// <code>
///  0     1      2             4         5          6              8        8+n            10+n
/// +-----+------+-------------+---------+----------+--------------+--------+--------------+-----------+
/// | 58H | rsvd | item length | identity| positive | primary field| primary| secondary    | secondary |
/// |     |      | (uint16 BE) | type    | response | length       | field  | field length | field     |
/// |     |      |             |         | requested| (uint16 BE)  |        | (uint16 BE)  |           |
/// +-----+------+-------------+---------+----------+--------------+--------+--------------+-----------+
/// </code>
/// </summary>
public sealed class UserIdentityRequest
{
    public UserIdentityRequest(UserIdentityType type, bool positiveResponseRequested, ReadOnlyMemory<byte> primaryField,
        ReadOnlyMemory<byte> secondaryField = default)
    {
        Type = type;
        PositiveResponseRequested = positiveResponseRequested;
        PrimaryField = primaryField;
        SecondaryField = secondaryField;
    }

    public UserIdentityType Type { get; }

    public bool PositiveResponseRequested { get; }

    public ReadOnlyMemory<byte> PrimaryField { get; }

    /// <summary>The passcode when <see cref="Type"/> is <see cref="UserIdentityType.UsernameAndPasscode"/>; empty otherwise.</summary>
    public ReadOnlyMemory<byte> SecondaryField { get; }

    internal int EncodedLength => 4 + 2 + 2 + PrimaryField.Length + 2 + SecondaryField.Length;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader((byte)ItemType.UserIdentityRequest, EncodedLength - 4);
        writer.WriteByte((byte)Type);
        writer.WriteByte(PositiveResponseRequested ? (byte)1 : (byte)0);
        writer.WriteUInt16(PrimaryField.Length);
        writer.WriteBytes(PrimaryField.Span);
        writer.WriteUInt16(SecondaryField.Length);
        writer.WriteBytes(SecondaryField.Span);
    }

    internal static UserIdentityRequest Read(ref PduSpanReader body)
    {
        var type = (UserIdentityType)body.ReadByte("User-Identity-Type");
        bool positive = body.ReadByte("Positive-response-requested") != 0;
        byte[] primary = body.ReadBytes(body.ReadUInt16("Primary-field-length"), "Primary-field").ToArray();
        byte[] secondary = body.ReadBytes(body.ReadUInt16("Secondary-field-length"), "Secondary-field").ToArray();
        return new UserIdentityRequest(type, positive, primary, secondary);
    }
}
