using System.Globalization;
using System.Text;

namespace DicomArchive.Dicom.Network.Tests;

/// <summary>Builds byte vectors from the PS3.8 tables: hex fields, ASCII text, padded AE titles.</summary>
internal sealed class Bytes
{
    readonly List<byte> _bytes = [];

    public static Bytes New() => new();

    public int Length => _bytes.Count;

    public Bytes Hex(string hex)
    {
        hex = hex.Replace(" ", string.Empty, StringComparison.Ordinal);
        for (int i = 0; i < hex.Length; i += 2)
        {
            _bytes.Add(byte.Parse(hex.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }

        return this;
    }

    public Bytes Ascii(string text)
    {
        _bytes.AddRange(Encoding.ASCII.GetBytes(text));
        return this;
    }

    public Bytes U16(int value) => Add((byte)(value >> 8), (byte)value);

    public Bytes U32(uint value) => Add((byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value);

    public Bytes Ae(string title) => Ascii(title.PadRight(16, ' '));

    public Bytes Zeros(int count)
    {
        _bytes.AddRange(new byte[count]);
        return this;
    }

    public Bytes Add(params byte[] values)
    {
        _bytes.AddRange(values);
        return this;
    }

    /// <summary>An item: type, reserved, 16-bit length, then the content.</summary>
    public Bytes Item(byte type, Bytes content) => Add(type, 0).U16(content.Length).Add(content.ToArray());

    /// <summary>A UID sub-item (30H/40H/52H/55H...).</summary>
    public Bytes Item(byte type, string text) => Add(type, 0).U16(text.Length).Ascii(text);

    /// <summary>A PDU: type, reserved, 32-bit length, then the content.</summary>
    public Bytes Pdu(byte type, Bytes content) => Add(type, 0).U32((uint)content.Length).Add(content.ToArray());

    public byte[] ToArray() => [.. _bytes];
}
