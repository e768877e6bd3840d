using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Items;

/// <summary>
/// A presentation context proposed in an A-ASSOCIATE-RQ (PS3.8 9.3.2.2, Table 9-13).
/// <code>
///  0      1      2             4          5    6    7    8
/// +------+------+-------------+----------+----+----+----+----------------------------------+
/// | 20H  | rsvd | item length | ctx ID   |rsvd|rsvd|rsvd| abstract syntax (30H) sub-item,  |
/// |      |      | (uint16 BE) | (odd)    |    |    |    | one or more transfer syntax (40H)|
/// +------+------+-------------+----------+----+----+----+----------------------------------+
/// </code>
/// Abstract and transfer syntax sub-items (PS3.8 9.3.2.2.1/9.3.2.2.2): type, reserved, uint16 length, UID.
/// </summary>
public sealed class PresentationContextRequest
{
    public PresentationContextRequest(byte id, string abstractSyntax, params IEnumerable<string> transferSyntaxes)
    {
        ArgumentException.ThrowIfNullOrEmpty(abstractSyntax);
        ArgumentNullException.ThrowIfNull(transferSyntaxes);
        Id = id;
        AbstractSyntax = abstractSyntax;
        TransferSyntaxes = [.. transferSyntaxes];
        if (TransferSyntaxes.Count == 0)
        {
            throw new ArgumentException("A presentation context proposes at least one transfer syntax", nameof(transferSyntaxes));
        }
    }

    /// <summary>Presentation context ID: an odd number 1-255 (PS3.8 9.3.2.2).</summary>
    public byte Id { get; }

    public string AbstractSyntax { get; }

    /// <summary>Proposed transfer syntax UIDs in the order of the requestor's preference.</summary>
    public IReadOnlyList<string> TransferSyntaxes { get; }

    internal int EncodedLength
    {
        get
        {
            int length = 4 + 4 + AbstractSyntax.Length;
            foreach (string ts in TransferSyntaxes)
            {
                length += 4 + ts.Length;
            }

            return 4 + length;
        }
    }

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader((byte)ItemType.PresentationContextRequest, EncodedLength - 4);
        writer.WriteByte(Id);
        writer.WriteZeros(3);
        writer.WriteItemHeader((byte)ItemType.AbstractSyntax, AbstractSyntax.Length);
        writer.WriteAscii(AbstractSyntax);
        foreach (string ts in TransferSyntaxes)
        {
            writer.WriteItemHeader((byte)ItemType.TransferSyntax, ts.Length);
            writer.WriteAscii(ts);
        }
    }

    /// <summary>Reads the item body (after its 4-byte header).</summary>
    internal static PresentationContextRequest Read(ref PduSpanReader body)
    {
        long start = body.Position;
        byte id = body.ReadByte("Presentation-context-ID");
        body.Skip(3, "Presentation context reserved fields");
        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>(2);
        while (!body.IsEmpty)
        {
            byte type = body.ReadByte("Sub-item type");
            body.Skip(1, "Sub-item reserved field");
            ushort length = body.ReadUInt16("Sub-item length");
            string uid = body.ReadAscii(length, "Sub-item UID");
            switch ((ItemType)type)
            {
                case ItemType.AbstractSyntax:
                    abstractSyntax = abstractSyntax is null
                        ? uid
                        : throw new DicomContentException("Presentation context holds two abstract syntax sub-items", start);
                    break;
                case ItemType.TransferSyntax:
                    transferSyntaxes.Add(uid);
                    break;
                default:
                    // PS3.8 9.3.1: unrecognised items are ignored.
                    break;
            }
        }

        if (abstractSyntax is null || abstractSyntax.Length == 0)
        {
            throw new DicomContentException("Presentation context has no abstract syntax sub-item", start);
        }

        if (transferSyntaxes.Count == 0)
        {
            throw new DicomContentException("Presentation context has no transfer syntax sub-item", start);
        }

        return new PresentationContextRequest(id, abstractSyntax, transferSyntaxes);
    }

    public override string ToString() => $"[{Id}] {AbstractSyntax} ({string.Join(", ", TransferSyntaxes)})";
}
