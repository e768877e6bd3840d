using System.Buffers.Binary;
using System.Text;

namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>
/// A forward-only big-endian reader over the bytes of one PDU or item (PS3.8 9.3.1: all multi-byte fields of the
/// upper layer are big-endian, unlike DIMSE). Every read names the field it reads and checks that the field fits in
/// what remains, so a malformed PDU ends in a <see cref="DicomContentException"/> carrying the field and the offset.
/// </summary>
internal ref struct PduSpanReader
{
    readonly ReadOnlySpan<byte> _buffer;
    readonly long _baseOffset;
    int _offset;

    public PduSpanReader(ReadOnlySpan<byte> buffer, long baseOffset = 0)
    {
        _buffer = buffer;
        _baseOffset = baseOffset;
        _offset = 0;
    }

    public readonly int Remaining => _buffer.Length - _offset;

    public readonly bool IsEmpty => _offset >= _buffer.Length;

    /// <summary>Offset of the next byte relative to the start of the PDU (for error messages).</summary>
    public readonly long Position => _baseOffset + _offset;

    public byte ReadByte(string field)
    {
        Require(1, field);
        return _buffer[_offset++];
    }

    public ushort ReadUInt16(string field)
    {
        Require(2, field);
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(_offset));
        _offset += 2;
        return value;
    }

    public uint ReadUInt32(string field)
    {
        Require(4, field);
        uint value = BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(_offset));
        _offset += 4;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        Require(count, field);
        ReadOnlySpan<byte> value = _buffer.Slice(_offset, count);
        _offset += count;
        return value;
    }

    public void Skip(int count, string field) => _ = ReadBytes(count, field);

    /// <summary>Reads <paramref name="length"/> bytes as a nested reader: the length is checked against the enclosing one first.</summary>
    public PduSpanReader ReadNested(int length, string field)
    {
        long start = Position;
        return new PduSpanReader(ReadBytes(length, field), start);
    }

    /// <summary>Reads a UID or other ASCII text field; trailing NUL and space padding sent by some peers is removed.</summary>
    public string ReadAscii(int length, string field)
    {
        ReadOnlySpan<byte> bytes = ReadBytes(length, field);
        return DecodeAscii(bytes, Position - length, field);
    }

    /// <summary>Reads a 16-byte AE title field (PS3.8 9.3.2: leading and trailing spaces are not significant).</summary>
    public string ReadAeTitle(string field)
    {
        ReadOnlySpan<byte> bytes = ReadBytes(16, field);
        return DecodeAscii(bytes, Position - 16, field).Trim(' ');
    }

    static string DecodeAscii(ReadOnlySpan<byte> bytes, long offset, string field)
    {
        int end = bytes.Length;
        while (end > 0 && (bytes[end - 1] == 0 || bytes[end - 1] == (byte)' '))
        {
            end--;
        }

        bytes = bytes[..end];
        for (int i = 0; i < bytes.Length; i++)
        {
            // PS3.8 9.3.2.2 / PS3.5 9.1: UIDs and AE titles are restricted to the default character repertoire.
            if (bytes[i] < 0x20 || bytes[i] > 0x7E)
            {
                throw new DicomContentException($"{field} holds a non-ASCII byte 0x{bytes[i]:X2}", offset + i);
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    readonly void Require(int count, string field)
    {
        if (count < 0 || count > Remaining)
        {
            throw new DicomContentException(
                $"{field} needs {count} bytes but only {Remaining} remain in the enclosing PDU or item", Position);
        }
    }
}
