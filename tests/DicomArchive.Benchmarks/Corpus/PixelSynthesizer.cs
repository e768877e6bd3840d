using System.Buffers.Binary;

namespace DicomArchive.Benchmarks.Corpus;

/// <summary>
/// Plausible 16-bit pixel values: a body-like ellipse of soft tissue on air, with noise, so the data compresses
/// about as badly as a real image would (a zero-filled image would flatter any later compression or hashing).
/// </summary>
public static class PixelSynthesizer
{
    /// <summary>Fills <paramref name="destination"/> (rows x columns little-endian 16-bit values) for one slice.</summary>
    public static void Fill(Span<byte> destination, int rows, int columns, int slice, uint seed)
    {
        var state = seed | 1u;
        var cy = rows / 2.0;
        var cx = columns / 2.0;
        var ry = rows * (0.38 + (0.02 * Math.Sin(slice * 0.1)));
        var rx = columns * 0.45;
        for (var y = 0; y < rows; y++)
        {
            var row = destination.Slice(y * columns * 2, columns * 2);
            var dy = (y - cy) / ry;
            for (var x = 0; x < columns; x++)
            {
                var dx = (x - cx) / rx;
                var r2 = (dx * dx) + (dy * dy);

                // Air around the body (CT number -1000 + 1024 rescale intercept = 24), tissue around 1064, a bone ring.
                var value = r2 > 1 ? 24 : r2 > 0.85 ? 1800 : 1064;

                // xorshift32: cheap deterministic noise, a few Hounsfield units either way.
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                value += (int)(state & 31) - 16;
                BinaryPrimitives.WriteUInt16LittleEndian(row.Slice(x * 2, 2), (ushort)Math.Max(0, value));
            }
        }
    }
}
