using System.Buffers;

namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>
/// A protocol data unit of the DICOM upper layer (PS3.8 9.3). Every PDU starts with the same 6-byte header:
/// <code>
///  0          1          2                              6
/// +----------+----------+------------------------------+---------------------------+
/// | PDU-type | reserved | PDU-length (uint32 BE)       | variable field (length    |
/// |          |          | = bytes after this field     | bytes)                    |
/// +----------+----------+------------------------------+---------------------------+
/// </code>
/// </summary>
public abstract class Pdu
{
    /// <summary>Size of the fixed PDU header (type, reserved, length).</summary>
    public const int HeaderLength = 6;

    private protected Pdu()
    {
    }

    public abstract PduType Type { get; }

    /// <summary>Length of the variable field: the value of the PDU-length field.</summary>
    public abstract int BodyLength { get; }

    /// <summary>Total encoded length including the 6-byte header.</summary>
    public int EncodedLength => HeaderLength + BodyLength;

    /// <summary>Writes the whole PDU, header included, into <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="EncodedLength"/>.</exception>
    public int Encode(Span<byte> destination)
    {
        int total = EncodedLength;
        if (destination.Length < total)
        {
            throw new ArgumentException($"The destination needs {total} bytes", nameof(destination));
        }

        var writer = new PduSpanWriter(destination[..total]);
        writer.WriteByte((byte)Type);
        writer.WriteByte(0);
        writer.WriteUInt32((uint)BodyLength);
        WriteBody(ref writer);
        return writer.Written;
    }

    /// <summary>Encodes the whole PDU into a new array (for tests and diagnostics; the hot path uses <see cref="Write"/>).</summary>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[EncodedLength];
        Encode(bytes);
        return bytes;
    }

    /// <summary>Writes the whole PDU into <paramref name="output"/>.</summary>
    public void Write(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int total = EncodedLength;
        Span<byte> span = output.GetSpan(total);
        Encode(span);
        output.Advance(total);
    }

    private protected abstract void WriteBody(ref PduSpanWriter writer);
}
