using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DicomArchive.Dicom;

/// <summary>Byte order changes of value bytes between little and big endian (PS3.5 7.3).</summary>
internal static class DicomByteOrder
{
    /// <summary>
    /// Reverses the bytes of each <paramref name="unit"/>-sized number in place (unit 1 leaves the bytes alone). A tail
    /// shorter than a unit (an odd value from a non-conformant source) is left as it is.
    /// </summary>
    public static void SwapInPlace(Span<byte> bytes, int unit)
    {
        switch (unit)
        {
            case 2:
                var shorts = MemoryMarshal.Cast<byte, ushort>(bytes[..(bytes.Length & ~1)]);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                var ints = MemoryMarshal.Cast<byte, uint>(bytes[..(bytes.Length & ~3)]);
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                var longs = MemoryMarshal.Cast<byte, ulong>(bytes[..(bytes.Length & ~7)]);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }
}
