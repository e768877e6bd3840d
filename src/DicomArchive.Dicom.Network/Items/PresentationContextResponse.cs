using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Items;

/// <summary>
/// The acceptor's answer to one proposed presentation context, in an A-ASSOCIATE-AC (PS3.8 9.3.3.2, Table 9-18).
/// <code>
///  0      1      2             4          5      6             7      8
/// +------+------+-------------+----------+------+-------------+------+---------------------------+
/// | 21H  | rsvd | item length | ctx ID   | rsvd | result/     | rsvd | transfer syntax (40H)     |
/// |      |      | (uint16 BE) |          |      | reason      |      | sub-item (one)            |
/// +------+------+-------------+----------+------+-------------+------+---------------------------+
/// </code>
/// When the result is not acceptance the transfer syntax sub-item is not significant (PS3.8 9.3.3.2).
/// </summary>
public sealed class PresentationContextResponse
{
    public PresentationContextResponse(byte id, PresentationContextResult result, string? transferSyntax)
    {
        Id = id;
        Result = result;
        TransferSyntax = transferSyntax;
    }

    public byte Id { get; }

    public PresentationContextResult Result { get; }

    /// <summary>The accepted transfer syntax UID (null or not significant when rejected).</summary>
    public string? TransferSyntax { get; }

    public bool IsAccepted => Result == PresentationContextResult.Acceptance;

    internal int EncodedLength => 4 + 4 + 4 + (TransferSyntax?.Length ?? 0);

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader((byte)ItemType.PresentationContextResponse, EncodedLength - 4);
        writer.WriteByte(Id);
        writer.WriteByte(0);
        writer.WriteByte((byte)Result);
        writer.WriteByte(0);

        // Always send the sub-item, empty when rejected: some peers expect its presence.
        string ts = TransferSyntax ?? string.Empty;
        writer.WriteItemHeader((byte)ItemType.TransferSyntax, ts.Length);
        writer.WriteAscii(ts);
    }

    internal static PresentationContextResponse Read(ref PduSpanReader body)
    {
        long start = body.Position;
        byte id = body.ReadByte("Presentation-context-ID");
        body.Skip(1, "Presentation context reserved field");
        byte result = body.ReadByte("Result/Reason");
        body.Skip(1, "Presentation context reserved field");
        if (result > (byte)PresentationContextResult.TransferSyntaxesNotSupported)
        {
            throw new DicomContentException($"Presentation context result/reason {result} is not defined", start + 2);
        }

        string? transferSyntax = null;
        while (!body.IsEmpty)
        {
            byte type = body.ReadByte("Sub-item type");
            body.Skip(1, "Sub-item reserved field");
            ushort length = body.ReadUInt16("Sub-item length");
            string uid = body.ReadAscii(length, "Transfer syntax UID");
            if (type == (byte)ItemType.TransferSyntax && transferSyntax is null)
            {
                transferSyntax = uid;
            }
        }

        var parsed = (PresentationContextResult)result;
        if (parsed == PresentationContextResult.Acceptance && string.IsNullOrEmpty(transferSyntax))
        {
            throw new DicomContentException("Accepted presentation context has no transfer syntax", start);
        }

        return new PresentationContextResponse(id, parsed, parsed == PresentationContextResult.Acceptance ? transferSyntax : null);
    }

    public override string ToString() => $"[{Id}] {Result} {TransferSyntax}";
}
