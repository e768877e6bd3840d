using System.Buffers;

namespace DicomArchive.Dicom;

/// <summary>A growable character buffer on <see cref="ArrayPool{T}"/> for assembling decoded text.</summary>
internal struct PooledCharBuffer : IDisposable
{
    private char[] array;
    private int length;

    public PooledCharBuffer(int capacity)
    {
        array = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 16));
        length = 0;
    }

    /// <summary>Room for at least <paramref name="size"/> more characters; call <see cref="Advance"/> after writing.</summary>
    public Span<char> GetSpan(int size)
    {
        if (array.Length - length < size)
        {
            var larger = ArrayPool<char>.Shared.Rent(Math.Max(array.Length * 2, length + size));
            array.AsSpan(0, length).CopyTo(larger);
            ArrayPool<char>.Shared.Return(array);
            array = larger;
        }

        return array.AsSpan(length);
    }

    public void Advance(int count) => length += count;

    public void Append(char c)
    {
        GetSpan(1)[0] = c;
        length++;
    }

    public override readonly string ToString() => new(array, 0, length);

    public void Dispose()
    {
        if (array is not null)
        {
            ArrayPool<char>.Shared.Return(array);
            array = null!;
        }
    }
}
