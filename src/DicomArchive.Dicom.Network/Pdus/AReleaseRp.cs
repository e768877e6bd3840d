namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>
/// A-RELEASE-RP (PS3.8 9.3.7, Table 9-25): type 06H, PDU-length 4, four reserved bytes.
/// <code>
/// +-----+------+----------------+------------------+
/// | 06H | rsvd | PDU-length = 4 | reserved (4)     |
/// +-----+------+----------------+------------------+
/// </code>
/// </summary>
public sealed class AReleaseRp : Pdu
{
    public static AReleaseRp Instance { get; } = new();

    public override PduType Type => PduType.AReleaseRp;

    public override int BodyLength => 4;

    private protected override void WriteBody(ref PduSpanWriter writer) => writer.WriteZeros(4);

    /// <exception cref="DicomContentException">The variable field is not 4 bytes long.</exception>
    public static AReleaseRp Decode(ReadOnlySpan<byte> body)
    {
        var reader = new PduSpanReader(body, HeaderLength);
        reader.Skip(4, "Reserved");
        return Instance;
    }
}
