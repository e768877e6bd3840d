namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>
/// A-ABORT (PS3.8 9.3.8, Table 9-26).
/// <code>
///  0     1      2                  6          7          8        9
/// +-----+------+------------------+----------+----------+--------+--------------+
/// | 07H | rsvd | PDU-length = 4   | reserved | reserved | source | reason/diag. |
/// +-----+------+------------------+----------+----------+--------+--------------+
/// </code>
/// </summary>
public sealed class AAbort : Pdu
{
    public AAbort(AbortSource source, AbortReason reason)
    {
        Source = source;
        Reason = reason;
    }

    public override PduType Type => PduType.AAbort;

    public override int BodyLength => 4;

    public AbortSource Source { get; }

    /// <summary>Significant only when <see cref="Source"/> is the service-provider (PS3.8 9.3.8).</summary>
    public AbortReason Reason { get; }

    private protected override void WriteBody(ref PduSpanWriter writer)
    {
        writer.WriteZeros(2);
        writer.WriteByte((byte)Source);
        writer.WriteByte((byte)Reason);
    }

    /// <exception cref="DicomContentException">The variable field is shorter than 4 bytes.</exception>
    public static AAbort Decode(ReadOnlySpan<byte> body)
    {
        var reader = new PduSpanReader(body, HeaderLength);
        reader.Skip(2, "Reserved");
        byte source = reader.ReadByte("Source");
        byte reason = reader.ReadByte("Reason/Diag.");

        // Be liberal in what is accepted here: the peer is going away whatever the values say.
        return new AAbort((AbortSource)source, (AbortReason)reason);
    }

    public override string ToString() => $"A-ABORT source={Source} reason={Reason}";
}
