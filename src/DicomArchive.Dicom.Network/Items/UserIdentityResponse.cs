using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Items;

/// <summary>
/// User identity negotiation sub-item of an A-ASSOCIATE-AC (PS3.7 D.3.3.7.2, Table D.3-15).
/// <code>
///  0     1      2             4                        6
/// +-----+------+-------------+------------------------+-----------------+
/// | 59H | rsvd | item length | server-response-length | server-response |
/// +-----+------+-------------+------------------------+-----------------+
/// </code>
/// </summary>
public sealed class UserIdentityResponse
{
    public UserIdentityResponse(ReadOnlyMemory<byte> serverResponse) => ServerResponse = serverResponse;

    public ReadOnlyMemory<byte> ServerResponse { get; }

    internal int EncodedLength => 4 + 2 + ServerResponse.Length;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader((byte)ItemType.UserIdentityResponse, EncodedLength - 4);
        writer.WriteUInt16(ServerResponse.Length);
        writer.WriteBytes(ServerResponse.Span);
    }

    internal static UserIdentityResponse Read(ref PduSpanReader body) =>
        new(body.ReadBytes(body.ReadUInt16("Server-response-length"), "Server-response").ToArray());
}
