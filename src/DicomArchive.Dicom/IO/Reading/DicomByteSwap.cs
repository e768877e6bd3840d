using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DicomArchive.Dicom;

/// <summary>Byte order changes of value bytes (PS3.5 7.3), a whole span at a time.</summary>
internal static class DicomByteSwap
{
    /// <summary>Reverses each <paramref name="unit"/>-byte number in place; a trailing partial unit (odd length) is left alone.</summary>
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
