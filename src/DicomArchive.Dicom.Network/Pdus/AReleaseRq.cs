namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>
/// A-RELEASE-RQ (PS3.8 9.3.6, Table 9-24): type 05H, PDU-length 4, four reserved bytes.
/// <code>
/// +-----+------+----------------+------------------+
/// | 05H | rsvd | PDU-length = 4 | reserved (4)     |
/// +-----+------+----------------+------------------+
/// </code>
/// </summary>
public sealed class AReleaseRq : Pdu
{
    public static AReleaseRq Instance { get; } = new();

    public override PduType Type => PduType.AReleaseRq;

    public override int BodyLength => 4;

    private protected override void WriteBody(ref PduSpanWriter writer) => writer.WriteZeros(4);

    /// <exception cref="DicomContentException">The variable field is not 4 bytes long.</exception>
    public static AReleaseRq Decode(ReadOnlySpan<byte> body)
    {
        var reader = new PduSpanReader(body, HeaderLength);
        reader.Skip(4, "Reserved");
        return Instance;
    }
}
