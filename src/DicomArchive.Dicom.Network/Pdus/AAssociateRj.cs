namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>
/// A-ASSOCIATE-RJ (PS3.8 9.3.4, Table 9-21).
/// <code>
///  0     1      2                  6          7        8        9
/// +-----+------+------------------+----------+--------+--------+--------------+
/// | 03H | rsvd | PDU-length = 4   | reserved | result | source | reason/diag. |
/// +-----+------+------------------+----------+--------+--------+--------------+
/// </code>
/// </summary>
public sealed class AAssociateRj : Pdu
{
    public AAssociateRj(AssociateRejectResult result, AssociateRejectSource source, byte reason)
    {
        Result = result;
        Source = source;
        Reason = reason;
    }

    public override PduType Type => PduType.AAssociateRj;

    public override int BodyLength => 4;

    public AssociateRejectResult Result { get; }

    public AssociateRejectSource Source { get; }

    /// <summary>Reason/Diag. value; see <see cref="AssociateRejectReason"/> for its meaning per source.</summary>
    public byte Reason { get; }

    private protected override void WriteBody(ref PduSpanWriter writer)
    {
        writer.WriteByte(0);
        writer.WriteByte((byte)Result);
        writer.WriteByte((byte)Source);
        writer.WriteByte(Reason);
    }

    /// <exception cref="DicomContentException">The bytes are not a valid A-ASSOCIATE-RJ.</exception>
    public static AAssociateRj Decode(ReadOnlySpan<byte> body)
    {
        var reader = new PduSpanReader(body, HeaderLength);
        reader.Skip(1, "Reserved");
        byte result = reader.ReadByte("Result");
        byte source = reader.ReadByte("Source");
        byte reason = reader.ReadByte("Reason/Diag.");
        if (result is < 1 or > 2)
        {
            throw new DicomContentException($"A-ASSOCIATE-RJ result {result} is not defined", HeaderLength + 1);
        }

        if (source is < 1 or > 3)
        {
            throw new DicomContentException($"A-ASSOCIATE-RJ source {source} is not defined", HeaderLength + 2);
        }

        return new AAssociateRj((AssociateRejectResult)result, (AssociateRejectSource)source, reason);
    }

    public override string ToString() => $"A-ASSOCIATE-RJ result={Result} source={Source} reason={Reason}";
}
