using System.Buffers;
using System.Buffers.Binary;
using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Transport;

/// <summary>
/// Frames PDUs out of a byte sequence (PS3.8 9.3.1): reads the 6-byte header, checks the type and the declared
/// length against our limits before a single body byte is buffered, and hands out the body once it is complete.
/// </summary>
public static class PduFrameReader
{
    /// <summary>
    /// Upper bound for the PDUs that the maximum length of PS3.8 D.1 does not cover (A-ASSOCIATE-RQ/AC): large enough
    /// for 128 presentation contexts with many transfer syntaxes each, small enough to bound what a peer can make us buffer.
    /// </summary>
    public const int MaximumAssociatePduLength = 256 * 1024;

    /// <summary>
    /// Tries to take one whole PDU from the start of <paramref name="buffer"/>. On success <paramref name="buffer"/> is
    /// advanced past it; otherwise it is left as it was (more bytes are needed).
    /// </summary>
    /// <param name="buffer">Received bytes.</param>
    /// <param name="maxPDataLength">Our maximum P-DATA-TF variable field length (PS3.8 D.1).</param>
    /// <param name="type">The PDU type.</param>
    /// <param name="body">The PDU's variable field (a slice of <paramref name="buffer"/>).</param>
    /// <exception cref="DicomAbortException">Unknown PDU type (reason 1) or a declared length over our limits (reason 6).</exception>
    public static bool TryReadPdu(ref ReadOnlySequence<byte> buffer, int maxPDataLength, out PduType type, out ReadOnlySequence<byte> body)
    {
        type = default;
        body = default;
        if (buffer.Length < Pdu.HeaderLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[Pdu.HeaderLength];
        buffer.Slice(0, Pdu.HeaderLength).CopyTo(header);
        uint length = CheckHeader(header, maxPDataLength, out type);
        if (buffer.Length - Pdu.HeaderLength < length)
        {
            return false;
        }

        body = buffer.Slice(Pdu.HeaderLength, length);
        buffer = buffer.Slice(body.End);
        return true;
    }

    /// <summary>Validates a PDU header and returns its declared length.</summary>
    /// <exception cref="DicomAbortException">The type is unknown or the length is over our limits.</exception>
    public static uint CheckHeader(ReadOnlySpan<byte> header, int maxPDataLength, out PduType type)
    {
        byte rawType = header[0];
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header[2..]);
        if (!PduDecoder.IsKnownType(rawType))
        {
            // PS3.8 9.3.8 / Table 9-10 Evt19: unrecognized PDU => A-ABORT, reason 1 (unrecognized-PDU).
            throw new DicomAbortException(AbortSource.ServiceProvider, AbortReason.UnrecognizedPdu,
                $"Unrecognized PDU type 0x{rawType:X2}");
        }

        type = (PduType)rawType;
        uint limit = type switch
        {
            PduType.PDataTf => (uint)maxPDataLength,
            PduType.AAssociateRq or PduType.AAssociateAc => (uint)Math.Max(maxPDataLength, MaximumAssociatePduLength),
            _ => 4u,
        };

        if (length > limit || (limit == 4u && length != 4u))
        {
            throw new DicomAbortException(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue,
                $"{type} declares PDU-length {length}, limit {limit}");
        }

        return length;
    }
}
