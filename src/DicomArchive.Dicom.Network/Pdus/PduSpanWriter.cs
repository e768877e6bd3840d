using System.Buffers.Binary;
using System.Text;

namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>A forward-only big-endian writer into a span sized beforehand from the items' encoded lengths.</summary>
internal ref struct PduSpanWriter
{
    readonly Span<byte> _buffer;
    int _offset;

    public PduSpanWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _offset = 0;
    }

    public readonly int Written => _offset;

    public void WriteByte(byte value) => _buffer[_offset++] = value;

    public void WriteUInt16(int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(_offset), checked((ushort)value));
        _offset += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(_offset), value);
        _offset += 4;
    }

    public void WriteZeros(int count)
    {
        _buffer.Slice(_offset, count).Clear();
        _offset += count;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.Slice(_offset));
        _offset += bytes.Length;
    }

    public void WriteAscii(string value) => _offset += Encoding.ASCII.GetBytes(value, _buffer.Slice(_offset));

    /// <summary>Writes an AE title into its 16-byte field, padded with spaces (PS3.8 9.3.2).</summary>
    public void WriteAeTitle(string value)
    {
        Span<byte> field = _buffer.Slice(_offset, 16);
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(value.AsSpan(0, Math.Min(16, value.Length)), field);
        _offset += 16;
    }

    /// <summary>Writes the 4-byte header of an item or sub-item (PS3.8 9.3.2.1: type, reserved, 16-bit length).</summary>
    public void WriteItemHeader(byte itemType, int length)
    {
        WriteByte(itemType);
        WriteByte(0);
        WriteUInt16(length);
    }
}
