using System.Buffers;
using System.Buffers.Binary;

namespace DicomArchive.Dicom;

/// <summary>
/// The byte end of the writers: a pooled buffer in front of a stream that encodes element and item headers in a
/// transfer syntax's VR form and byte order, and copies values with byte swapping. One code path serves
/// synchronous and asynchronous callers: with <c>async: false</c> every returned <see cref="ValueTask"/> has completed.
/// </summary>
internal sealed class DicomOutputBuffer : IDisposable
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Loaded values at least this long that need no byte swap go to the stream without a copy.</summary>
    private const int DirectWriteThreshold = 16 * 1024;

    /// <summary>PS3.5 7.1.1: FFFFFFFFH is the undefined length.</summary>
    public const uint UndefinedLength = 0xFFFFFFFF;

    private readonly Stream destination;
    private readonly bool explicitVR;
    private readonly bool bigEndian;
    private byte[] buffer;
    private int position;

    public DicomOutputBuffer(Stream destination, bool explicitVR, bool bigEndian)
    {
        this.destination = destination;
        this.explicitVR = explicitVR;
        this.bigEndian = bigEndian;
        buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public bool IsExplicitVR => explicitVR;

    public bool IsBigEndian => bigEndian;

    public void Dispose()
    {
        var rented = buffer;
        buffer = [];
        if (rented.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The bytes the buffer can take before it must be flushed.</summary>
    public int FreeSpace => buffer.Length - position;

    /// <summary>Copies bytes that fit <see cref="FreeSpace"/>, reversing each <paramref name="swapUnit"/>-sized number.</summary>
    public void PutBytes(ReadOnlySpan<byte> value, int swapUnit)
    {
        value.CopyTo(buffer.AsSpan(position));
        DicomByteSwap.SwapInPlace(buffer.AsSpan(position, value.Length), swapUnit);
        position += value.Length;
    }

    /// <summary>Makes room for <paramref name="count"/> bytes (at most 64) of headers.</summary>
    public ValueTask EnsureAsync(int count, bool async, CancellationToken ct) =>
        buffer.Length - position >= count ? ValueTask.CompletedTask : FlushAsync(async, ct);

    public async ValueTask FlushAsync(bool async, CancellationToken ct)
    {
        if (position == 0)
        {
            return;
        }

        await WriteToDestinationAsync(buffer.AsMemory(0, position), async, ct).ConfigureAwait(false);
        position = 0;
    }

    /// <summary>
    /// PS3.5 7.1.2 and 7.1.3: implicit VR: tag, 32-bit length (8 bytes); explicit VR with a VR of Table 7.1-1:
    /// tag, VR, two reserved bytes 0000H, 32-bit length (12 bytes); explicit VR otherwise: tag, VR, 16-bit length (8 bytes).
    /// Numbers in the byte order of the syntax; the VR is two ASCII characters either way. Needs 12 bytes ensured.
    /// </summary>
    public void PutHeader(DicomTag tag, DicomVR vr, uint length)
    {
        PutTag(tag);
        if (!explicitVR)
        {
            PutUInt32(length);
            return;
        }

        buffer[position] = (byte)((ushort)vr >> 8);
        buffer[position + 1] = (byte)vr;
        position += 2;
        if (DicomVRInfo.HasLongExplicitLength(vr))
        {
            buffer[position] = 0;
            buffer[position + 1] = 0;
            position += 2;
            PutUInt32(length);
        }
        else
        {
            PutUInt16((ushort)length);
        }
    }

    /// <summary>PS3.5 7.5: items and delimiters have no VR in any syntax: tag, 32-bit length. Needs 8 bytes ensured.</summary>
    public void PutItemHeader(DicomTag tag, uint length)
    {
        PutTag(tag);
        PutUInt32(length);
    }

    /// <summary>Needs 1 byte ensured.</summary>
    public void PutByte(byte value) => buffer[position++] = value;

    /// <summary>Needs 4 bytes ensured.</summary>
    public void PutUInt32(uint value)
    {
        var span = buffer.AsSpan(position, 4);
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        }

        position += 4;
    }

    /// <summary>Copies value bytes out, reversing each <paramref name="swapUnit"/>-sized number (1: none).</summary>
    public async ValueTask WriteBytesAsync(ReadOnlyMemory<byte> value, int swapUnit, bool async, CancellationToken ct)
    {
        if (value.Length <= buffer.Length - position)
        {
            value.Span.CopyTo(buffer.AsSpan(position));
            DicomByteSwap.SwapInPlace(buffer.AsSpan(position, value.Length), swapUnit);
            position += value.Length;
            return;
        }

        if (swapUnit == 1 && value.Length >= DirectWriteThreshold)
        {
            await FlushAsync(async, ct).ConfigureAwait(false);
            await WriteToDestinationAsync(value, async, ct).ConfigureAwait(false);
            return;
        }

        // Chunks start at multiples of 8 bytes from the value start, so no number is split between two chunks.
        var offset = 0;
        while (offset < value.Length)
        {
            var free = (buffer.Length - position) & ~7;
            if (free == 0)
            {
                await FlushAsync(async, ct).ConfigureAwait(false);
                free = buffer.Length;
            }

            var count = Math.Min(value.Length - offset, free);
            value.Span.Slice(offset, count).CopyTo(buffer.AsSpan(position));
            DicomByteSwap.SwapInPlace(buffer.AsSpan(position, count), swapUnit);
            position += count;
            offset += count;
        }
    }

    /// <summary>
    /// Streams a value left in its source file through the buffer, never loading it whole; swaps byte order when
    /// <paramref name="swapUnit"/> is above 1.
    /// </summary>
    public async ValueTask WriteBulkDataAsync(
        DicomBulkDataReference bulkData, DicomTag tag, int swapUnit, bool async, CancellationToken ct)
    {
        if (bulkData.SourcePath is null)
        {
            throw new InvalidOperationException(
                $"The value of {tag} was not loaded and its source cannot be reopened; "
                + "read the data set with a larger bulk data threshold.");
        }

        var fileOptions = async ? FileOptions.Asynchronous | FileOptions.SequentialScan : FileOptions.SequentialScan;
        var source = new FileStream(bulkData.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, fileOptions);
        await using (source.ConfigureAwait(false))
        {
            source.Seek(bulkData.Offset, SeekOrigin.Begin);
            var remaining = bulkData.Length;
            while (remaining > 0)
            {
                var free = (buffer.Length - position) & ~7;
                if (free == 0)
                {
                    await FlushAsync(async, ct).ConfigureAwait(false);
                    free = buffer.Length;
                }

                var count = (int)Math.Min(remaining, free);
                if (async)
                {
                    await source.ReadExactlyAsync(buffer.AsMemory(position, count), ct).ConfigureAwait(false);
                }
                else
                {
                    source.ReadExactly(buffer, position, count);
                }

                DicomByteSwap.SwapInPlace(buffer.AsSpan(position, count), swapUnit);
                position += count;
                remaining -= count;
            }
        }
    }

    private async ValueTask WriteToDestinationAsync(ReadOnlyMemory<byte> bytes, bool async, CancellationToken ct)
    {
        if (async)
        {
            await destination.WriteAsync(bytes, ct).ConfigureAwait(false);
        }
        else
        {
            destination.Write(bytes.Span);
        }
    }

    private void PutTag(DicomTag tag)
    {
        PutUInt16(tag.Group);
        PutUInt16(tag.Element);
    }

    private void PutUInt16(ushort value)
    {
        var span = buffer.AsSpan(position, 2);
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span, value);
        }

        position += 2;
    }
}
