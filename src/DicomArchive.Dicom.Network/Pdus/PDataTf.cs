using System.Buffers.Binary;

namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>
/// P-DATA-TF (PS3.8 9.3.5, Table 9-22): type 04H, then one or more presentation data value items
/// (<see cref="PresentationDataValue"/>). The PDU-length is the "variable field" that the peer's maximum length
/// (PS3.8 D.1) bounds.
/// <code>
/// +-----+------+----------------------+------------------+------------------+-----
/// | 04H | rsvd | PDU-length (uint32)  | PDV item 1       | PDV item 2       | ...
/// +-----+------+----------------------+------------------+------------------+-----
/// </code>
/// </summary>
public sealed class PDataTf : Pdu
{
    public PDataTf(params IEnumerable<PresentationDataValue> values) => Values = [.. values];

    public override PduType Type => PduType.PDataTf;

    public IReadOnlyList<PresentationDataValue> Values { get; }

    public override int BodyLength
    {
        get
        {
            int length = 0;
            foreach (PresentationDataValue pdv in Values)
            {
                length += PresentationDataValue.HeaderLength + pdv.Fragment.Length;
            }

            return length;
        }
    }

    private protected override void WriteBody(ref PduSpanWriter writer)
    {
        foreach (PresentationDataValue pdv in Values)
        {
            writer.WriteUInt32((uint)(2 + pdv.Fragment.Length));
            writer.WriteByte(pdv.PresentationContextId);
            writer.WriteByte(pdv.MessageControlHeader);
            writer.WriteBytes(pdv.Fragment.Span);
        }
    }

    /// <summary>
    /// Writes the 12 bytes that precede a single-PDV fragment: the PDU header and the PDV header. Used by the
    /// sender to frame data that is then copied (or read from a stream) straight behind it.
    /// </summary>
    public static void WriteSinglePdvHeader(Span<byte> destination, byte presentationContextId, bool isCommand, bool isLastFragment,
        int fragmentLength)
    {
        destination[0] = (byte)PduType.PDataTf;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)(PresentationDataValue.HeaderLength + fragmentLength));
        BinaryPrimitives.WriteUInt32BigEndian(destination[6..], (uint)(2 + fragmentLength));
        destination[10] = presentationContextId;
        destination[11] = (byte)((isCommand ? 0x01 : 0x00) | (isLastFragment ? 0x02 : 0x00));
    }

    /// <summary>Decodes the variable field; the PDVs' fragments are slices of <paramref name="body"/>.</summary>
    /// <exception cref="DicomContentException">A PDV item length runs past the PDU, is shorter than 2, or there is no PDV.</exception>
    public static PDataTf Decode(ReadOnlyMemory<byte> body)
    {
        var values = new List<PresentationDataValue>(1);
        int offset = 0;
        ReadOnlySpan<byte> span = body.Span;
        while (offset < span.Length)
        {
            if (span.Length - offset < 4)
            {
                throw new DicomContentException("PDV item-length field is truncated", HeaderLength + offset);
            }

            uint itemLength = BinaryPrimitives.ReadUInt32BigEndian(span[offset..]);

            // PS3.8 9.3.5.1: the item length covers the context ID and the PDV data (at least the control header).
            if (itemLength < 2 || itemLength > (uint)(span.Length - offset - 4))
            {
                throw new DicomContentException($"PDV item-length {itemLength} does not fit in the P-DATA-TF PDU", HeaderLength + offset);
            }

            byte contextId = span[offset + 4];
            byte control = span[offset + 5];
            if ((control & 0xFC) != 0)
            {
                throw new DicomContentException($"PDV message control header 0x{control:X2} sets reserved bits", HeaderLength + offset + 5);
            }

            values.Add(new PresentationDataValue(contextId, (control & 0x01) != 0, (control & 0x02) != 0,
                body.Slice(offset + PresentationDataValue.HeaderLength, (int)itemLength - 2)));
            offset += 4 + (int)itemLength;
        }

        if (values.Count == 0)
        {
            throw new DicomContentException("P-DATA-TF holds no presentation data value", HeaderLength);
        }

        return new PDataTf(values);
    }
}
