using System.Buffers;

namespace DicomArchive.Storage.Header;

/// <summary>A forward-only buffered view of a stream that tracks the absolute offset and skips by seeking when it can.</summary>
internal sealed class HeaderSource : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream stream;
    private readonly long streamLength;
    private byte[] buffer;
    private int start;
    private int end;

    public HeaderSource(Stream stream, long startOffset)
    {
        this.stream = stream;
        Position = startOffset;
        streamLength = stream.CanSeek ? stream.Length : -1;
        buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    /// <summary>The absolute offset of the next byte (in the decoded data set for deflated sources).</summary>
    public long Position { get; private set; }

    /// <summary>True when no byte is left.</summary>
    public bool AtEnd => start == end && !Fill(1);

    /// <summary>Bytes left when the source knows its length, else -1.</summary>
    public long Remaining => streamLength < 0 ? -1 : streamLength - stream.Position + (end - start);

    /// <summary>Reads exactly destination.Length bytes; false when the source ends first (nothing is consumed then).</summary>
    public bool TryRead(Span<byte> destination)
    {
        if (end - start < destination.Length && !Fill(destination.Length))
        {
            return false;
        }

        buffer.AsSpan(start, destination.Length).CopyTo(destination);
        start += destination.Length;
        Position += destination.Length;
        return true;
    }

    /// <summary>Skips count bytes; false when the source ends first.</summary>
    public bool TrySkip(long count)
    {
        var buffered = end - start;
        if (count <= buffered)
        {
            start += (int)count;
            Position += count;
            return true;
        }

        count -= buffered;
        Position += buffered;
        start = end = 0;
        if (stream.CanSeek)
        {
            if (stream.Length - stream.Position < count)
            {
                return false;
            }

            stream.Seek(count, SeekOrigin.Current);
            Position += count;
            return true;
        }

        while (count > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0)
            {
                return false;
            }

            count -= read;
            Position += read;
        }

        return true;
    }

    public void Dispose()
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
    }

    private bool Fill(int minimum)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        while (end < minimum)
        {
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                return false;
            }

            end += read;
        }

        return true;
    }
}
