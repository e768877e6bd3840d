using System.Buffers;
using System.IO.Compression;

namespace DicomArchive.Dicom;

/// <summary>
/// A forward-only window over the source of a read: a pooled buffer refilled from a stream, or a caller's
/// memory. It knows the absolute offset of every byte (for error messages and bulk data references) and,
/// when the source has a known length, how much remains, so that declared lengths can be checked before
/// anything is allocated. One code path serves sync and async reads through a <c>bool async</c> flag.
/// </summary>
internal sealed class DicomReadBuffer : IDisposable
{
    /// <summary>The pooled buffer size: large enough that a typical header is one or two reads.</summary>
    public const int DefaultCapacity = 64 * 1024;

    /// <summary>Values this long or longer are read straight from the stream into their destination.</summary>
    private const int DirectReadThreshold = DefaultCapacity / 2;

    private readonly Stream? stream;
    private readonly bool canSeek;
    private byte[]? rented;
    private ReadOnlyMemory<byte> memory;
    private int start;
    private int end;

    /// <summary>The absolute offset of memory[0].</summary>
    private long bufferOffset;

    /// <summary>Reads from a stream, starting at its current position (absolute offsets count from 0 or the seekable position).</summary>
    public DicomReadBuffer(Stream stream, long startOffset = -1)
    {
        this.stream = stream;
        canSeek = stream.CanSeek;
        rented = ArrayPool<byte>.Shared.Rent(DefaultCapacity);
        memory = rented;
        if (canSeek)
        {
            bufferOffset = stream.Position;
            SourceEnd = stream.Length;
        }
        else
        {
            bufferOffset = startOffset >= 0 ? startOffset : 0;
            SourceEnd = -1;
        }
    }

    /// <summary>Reads from memory the caller keeps unchanged for the duration of the read.</summary>
    public DicomReadBuffer(ReadOnlyMemory<byte> source)
    {
        memory = source;
        end = source.Length;
        SourceEnd = source.Length;
    }

    /// <summary>The absolute offset of the next unread byte.</summary>
    public long Position => bufferOffset + start;

    /// <summary>The absolute offset of the end of the source, or -1 when not known (non-seekable or inflated streams).</summary>
    public long SourceEnd { get; }

    /// <summary>True when skipped values can be sought over, so bulk data references into the source are usable.</summary>
    public bool CanSeek => canSeek;

    /// <summary>The bytes known to remain, or -1.</summary>
    public long Remaining => SourceEnd < 0 ? -1 : SourceEnd - Position;

    public int AvailableCount => end - start;

    public ReadOnlySpan<byte> Available => memory.Span[start..end];

    public void Advance(int count)
    {
        System.Diagnostics.Debug.Assert(count <= end - start, "advance within the buffered bytes");
        start += count;
    }

    /// <summary>
    /// Makes at least <paramref name="minimum"/> bytes available (at most the buffer capacity). False when the
    /// source ends first; what there is stays available.
    /// </summary>
    public async ValueTask<bool> FillAsync(int minimum, bool async, CancellationToken ct)
    {
        if (end - start >= minimum)
        {
            return true;
        }

        if (stream is null || rented is null)
        {
            return false;
        }

        minimum = Math.Min(minimum, rented.Length);
        if (start > 0)
        {
            // Keep the unread tail at the front so the next read gets the whole free space.
            Buffer.BlockCopy(rented, start, rented, 0, end - start);
            bufferOffset += start;
            end -= start;
            start = 0;
        }

        while (end < minimum)
        {
            var n = await ReadStreamAsync(rented.AsMemory(end), async, ct).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            end += n;
        }

        return true;
    }

    /// <summary>Fills <paramref name="destination"/> from the source; throws a content error when it ends first.</summary>
    public async ValueTask ReadExactAsync(Memory<byte> destination, bool async, CancellationToken ct)
    {
        var fromBuffer = Math.Min(destination.Length, end - start);
        memory.Span.Slice(start, fromBuffer).CopyTo(destination.Span);
        start += fromBuffer;
        destination = destination[fromBuffer..];
        if (destination.Length == 0)
        {
            return;
        }

        if (stream is null || rented is null)
        {
            DicomReaderErrors.ThrowTruncated(Position);
        }

        if (destination.Length >= DirectReadThreshold)
        {
            // Large values bypass the buffer: one copy instead of two.
            bufferOffset += end;
            start = end = 0;
            while (destination.Length > 0)
            {
                var n = await ReadStreamAsync(destination, async, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    DicomReaderErrors.ThrowTruncated(Position);
                }

                bufferOffset += n;
                destination = destination[n..];
            }

            return;
        }

        if (!await FillAsync(destination.Length, async, ct).ConfigureAwait(false))
        {
            DicomReaderErrors.ThrowTruncated(bufferOffset + end);
        }

        memory.Span.Slice(start, destination.Length).CopyTo(destination.Span);
        start += destination.Length;
    }

    /// <summary>Moves past <paramref name="count"/> bytes: by seeking when the stream can, else by reading them.</summary>
    public async ValueTask SkipAsync(long count, bool async, CancellationToken ct)
    {
        var inBuffer = end - start;
        if (count <= inBuffer)
        {
            start += (int)count;
            return;
        }

        count -= inBuffer;
        bufferOffset += end;
        start = end = 0;
        if (stream is null || rented is null)
        {
            DicomReaderErrors.ThrowTruncated(Position);
        }

        if (canSeek)
        {
            if (SourceEnd >= 0 && count > SourceEnd - bufferOffset)
            {
                DicomReaderErrors.ThrowTruncated(SourceEnd);
            }

            stream.Seek(count, SeekOrigin.Current);
            bufferOffset += count;
            return;
        }

        while (count > 0)
        {
            var n = await ReadStreamAsync(rented.AsMemory(0, (int)Math.Min(count, rented.Length)), async, ct).ConfigureAwait(false);
            if (n == 0)
            {
                DicomReaderErrors.ThrowTruncated(bufferOffset);
            }

            bufferOffset += n;
            count -= n;
        }
    }

    /// <summary>
    /// Reads a value of a length the source cannot vouch for (its end is unknown): the array grows with the
    /// bytes that actually arrive, so a hostile length costs at most twice the bytes really sent.
    /// </summary>
    public async ValueTask<byte[]> ReadGrowingAsync(long length, bool async, CancellationToken ct)
    {
        const int InitialSize = 1024 * 1024;
        var value = new byte[(int)Math.Min(length, InitialSize)];
        var filled = 0;
        while (true)
        {
            await ReadExactAsync(value.AsMemory(filled), async, ct).ConfigureAwait(false);
            filled = value.Length;
            if (filled == length)
            {
                return value;
            }

            Array.Resize(ref value, (int)Math.Min(length, (long)value.Length * 2));
        }
    }

    /// <summary>
    /// Gives back what was read ahead: a seekable stream is moved to <see cref="Position"/>, so a caller that
    /// stopped before an element (StopBeforeTag) can go on reading the stream from there.
    /// </summary>
    public void ReturnReadAhead()
    {
        if (canSeek && stream is not null && stream.Position != Position)
        {
            stream.Position = Position;
        }
    }

    /// <summary>Hands the unread buffered bytes to a new owner (the inflater) and leaves this buffer empty.</summary>
    public byte[] DetachAvailable()
    {
        var bytes = Available.ToArray();
        start = end;
        return bytes;
    }

    public void Dispose()
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
            rented = null;
            memory = default;
            start = end = 0;
        }
    }

    private async ValueTask<int> ReadStreamAsync(Memory<byte> destination, bool async, CancellationToken ct)
    {
        try
        {
            ct.ThrowIfCancellationRequested();
            return async
                ? await stream!.ReadAsync(destination, ct).ConfigureAwait(false)
                : stream!.Read(destination.Span);
        }
        catch (InvalidDataException ex)
        {
            // DeflateStream: the compressed data is corrupt (PS3.5 A.5).
            throw new DicomContentException("The deflated data set is corrupt", bufferOffset + end, ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new DicomContentException("Unexpected end of data", bufferOffset + end, ex);
        }
    }

    /// <summary>
    /// Wraps the rest of the source in an inflater (PS3.5 A.5: raw deflate, RFC 1951, after the meta header).
    /// Some writers wrap the deflate data in a zlib header (RFC 1950) against the standard; that is accepted too.
    /// </summary>
    public static Stream CreateInflater(Stream inner, byte[] alreadyRead)
    {
        var source = alreadyRead.Length == 0 ? inner : new PrefixedReadStream(alreadyRead, inner);
        return HasZlibHeader(alreadyRead)
            ? new ZLibStream(source, CompressionMode.Decompress, leaveOpen: true)
            : new DeflateStream(source, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>RFC 1950 2.2: CM = 8 (deflate), CINFO &lt;= 7, no preset dictionary, and CMF*256 + FLG a multiple of 31.</summary>
    private static bool HasZlibHeader(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 2 && (bytes[0] & 0x0F) == 8 && (bytes[0] >> 4) <= 7 && (bytes[1] & 0x20) == 0
        && ((bytes[0] << 8) | bytes[1]) % 31 == 0;
}
