using System.Buffers;
using System.Buffers.Binary;

namespace DicomArchive.Dicom;

/// <summary>
/// Re-encodes a data set from one uncompressed transfer syntax into another element by element, straight from
/// stream to stream: memory stays at two pooled buffers whatever the size of the data set. Because nothing is
/// looked ahead, every sequence and item is written with undefined length (always allowed, PS3.5 7.5.1) and group
/// length elements are dropped (retired outside groups 0000 and 0002, PS3.5 7.2). Bad input bytes throw
/// <see cref="DicomContentException"/> with the offset in the (inflated) source.
/// </summary>
internal sealed class DicomStreamTranscoder : IDisposable
{
    private const int InputBufferSize = 64 * 1024;

    /// <summary>Sequences nested deeper than this are refused (a defence against hostile input).</summary>
    private const int MaxDepth = 64;

    private const int MaxMetaValueLength = 16 * 1024;
    private const int PreambleLength = 128;

    private readonly Stream source;
    private DicomOutputBuffer output = null!;
    private bool resolveUnknownVR;
    private byte[] input;
    private int start;
    private int end;
    private bool endOfSource;
    private long consumedBeforeBuffer;

    public DicomStreamTranscoder(Stream source)
    {
        this.source = source;
        input = ArrayPool<byte>.Shared.Rent(InputBufferSize);
    }

    /// <summary>The offset in the source of the next byte to convert.</summary>
    public long Position => consumedBeforeBuffer + start;

    /// <summary>The preamble read by <see cref="ReadFileMetaAsync"/>.</summary>
    public byte[] Preamble { get; private set; } = [];

    private int Available => end - start;

    /// <summary>Converts the rest of the source, a data set in <paramref name="sourceSyntax"/>, into the destination.</summary>
    public async Task RunAsync(
        TransferSyntax sourceSyntax, Stream destination, TransferSyntax destinationSyntax, bool resolveUnknown, CancellationToken ct)
    {
        resolveUnknownVR = resolveUnknown;
        output = new DicomOutputBuffer(destination, destinationSyntax.IsExplicitVR, !destinationSyntax.IsLittleEndian);
        await ConvertElementsAsync(sourceSyntax.IsExplicitVR, !sourceSyntax.IsLittleEndian, -1, false, 0, ct).ConfigureAwait(false);
        await output.FlushAsync(true, ct).ConfigureAwait(false);
    }

    /// <summary>Copies the rest of the source unchanged.</summary>
    public async Task CopyRestAsync(Stream destination, CancellationToken ct)
    {
        await destination.WriteAsync(input.AsMemory(start, Available), ct).ConfigureAwait(false);
        Consume(Available);
        await source.CopyToAsync(destination, ct).ConfigureAwait(false);
    }

    /// <summary>The bytes read from the source but not yet converted, handed over (for a deflated rest).</summary>
    public byte[] TakeBuffered()
    {
        var rest = input.AsSpan(start, Available).ToArray();
        Consume(Available);
        return rest;
    }

    /// <summary>
    /// Reads the preamble, "DICM" and the File Meta Information group (PS3.10 7.1, explicit VR little endian),
    /// leaving the source at the first data set element.
    /// </summary>
    public async Task<DicomDataset> ReadFileMetaAsync(CancellationToken ct)
    {
        if (!await FillAsync(PreambleLength + 4, ct).ConfigureAwait(false)
            || !input.AsSpan(start + PreambleLength, 4).SequenceEqual("DICM"u8))
        {
            throw new DicomContentException("Not a DICOM file: no \"DICM\" after a 128-byte preamble (PS3.10 7.1)", Position);
        }

        Preamble = input.AsSpan(start, PreambleLength).ToArray();
        Consume(PreambleLength + 4);
        var meta = new DicomDataset();
        while (await FillAsync(8, ct).ConfigureAwait(false) && ReadUInt16(start, false) == 0x0002)
        {
            // PS3.10 7.1: the meta group is explicit VR little endian whatever the data set's syntax.
            await FillAsync(DicomElementHeaderDecoder.MaxHeaderLength, ct).ConfigureAwait(false);
            var status = DicomElementHeaderDecoder.DecodeElementHeader(
                input.AsSpan(start, Available), true, true, out var header, out var headerLength);
            if (status == ElementHeaderStatus.NeedMoreData)
            {
                throw new DicomContentException("The data ends inside an element header", Position);
            }

            if (status != ElementHeaderStatus.Ok)
            {
                throw new DicomContentException($"{ReadTag(false)} has an unknown VR", Position + 4);
            }

            var (tag, vr, length) = (header.Tag, header.VR, header.Length);
            if (length > MaxMetaValueLength)
            {
                throw new DicomContentException($"The File Meta Information element {tag} is {length} bytes long", Position);
            }

            Consume(headerLength);
            if (!await FillAsync((int)length, ct).ConfigureAwait(false))
            {
                throw new DicomContentException($"The data ends inside the value of {tag}", Position);
            }

            meta.Add(new DicomValueElement(tag, vr, input.AsSpan(start, (int)length).ToArray()));
            Consume((int)length);
        }

        return meta;
    }

    public void Dispose()
    {
        output?.Dispose();
        var rented = input;
        input = [];
        if (rented.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Converts the elements of a data set or item: to an item delimiter (<paramref name="untilItemDelimiter"/>), to
    /// <paramref name="limit"/> (the end of the enclosing defined-length item or sequence, which also ends an item
    /// whose delimiter is missing, as the reader accepts), or to the end of the source (the top level, limit -1).
    /// </summary>
    private async ValueTask ConvertElementsAsync(
        bool explicitVR, bool bigEndian, long limit, bool untilItemDelimiter, int depth, CancellationToken ct)
    {
        var signedPixels = false;
        while (true)
        {
            if (limit >= 0 && Position >= limit)
            {
                return;
            }

            await FillAsync(DicomElementHeaderDecoder.MaxHeaderLength, ct).ConfigureAwait(false);
            var status = DicomElementHeaderDecoder.DecodeElementHeader(
                input.AsSpan(start, Available), explicitVR, !bigEndian, out var header, out var headerLength);
            if (status == ElementHeaderStatus.NeedMoreData)
            {
                if (Available == 0 && limit < 0 && !untilItemDelimiter)
                {
                    return;
                }

                throw new DicomContentException("The data ends inside an element header or before its item ends", Position);
            }

            if (status != ElementHeaderStatus.Ok)
            {
                throw new DicomContentException($"{ReadTag(bigEndian)} has an unknown VR", Position + 4);
            }

            var tag = header.Tag;
            var length = header.Length;
            if (tag.IsDelimiter)
            {
                if (tag == DicomTag.ItemDelimitationItem && untilItemDelimiter)
                {
                    Consume(headerLength);
                    return;
                }

                if ((tag == DicomTag.ItemDelimitationItem || tag == DicomTag.SequenceDelimitationItem) && length == 0)
                {
                    // A stray delimiter where none belongs (some writers leave them); it carries nothing: dropped.
                    Consume(headerLength);
                    continue;
                }

                throw new DicomContentException($"Unexpected {tag} among the elements of a data set (PS3.5 7.5)", Position);
            }

            // PS3.5 7.1.3 and A.1: implicit VR takes the VR from the data dictionary.
            var vr = explicitVR ? header.VR : DicomImplicitVR.FromDictionary(tag, signedPixels);
            Consume(headerLength);
            var undefinedLength = length == DicomOutputBuffer.UndefinedLength;
            if (vr == DicomVR.SQ || (undefinedLength && (vr == DicomVR.UN || !explicitVR)))
            {
                // PS3.5 6.2.2: a UN element of undefined length holds an implicit VR little endian sequence.
                var sequenceExplicit = vr == DicomVR.SQ && explicitVR;
                var sequenceBigEndian = vr == DicomVR.SQ && bigEndian;
                await ConvertSequenceAsync(tag, length, sequenceExplicit, sequenceBigEndian, limit, depth + 1, ct)
                    .ConfigureAwait(false);
                continue;
            }

            if (undefinedLength)
            {
                throw new DicomContentException(
                    $"{tag} has undefined length: encapsulated data in an uncompressed transfer syntax (PS3.5 A.4)", Position);
            }

            if (limit >= 0 && Position + length > limit)
            {
                throw new DicomContentException($"The value of {tag} runs past the end of its item", Position);
            }

            if (tag.IsGroupLength)
            {
                // PS3.5 7.2: retired; it cannot be recomputed without looking ahead, so it is dropped.
                await SkipAsync(length, ct).ConfigureAwait(false);
                continue;
            }

            if (tag == DicomImplicitVR.PixelRepresentation && length == 2 && await FillAsync(2, ct).ConfigureAwait(false))
            {
                signedPixels = ReadUInt16(start, bigEndian) == 1;
            }

            await ConvertValueAsync(tag, vr, length, bigEndian, signedPixels, ct).ConfigureAwait(false);
        }
    }

    private async ValueTask ConvertValueAsync(
        DicomTag tag, DicomVR vr, uint length, bool bigEndian, bool signedPixels, CancellationToken ct)
    {
        var valueVR = vr;
        if (output.IsExplicitVR && valueVR == DicomVR.UN && resolveUnknownVR)
        {
            var known = DicomImplicitVR.FromDictionary(tag, signedPixels);
            if (known is not (DicomVR.UN or DicomVR.SQ))
            {
                valueVR = known;
            }
        }

        var padded = length + (length & 1);
        var headerVR = valueVR;
        if (output.IsExplicitVR && !DicomVRInfo.HasLongExplicitLength(valueVR) && padded > 0xFFFE)
        {
            // PS3.5 6.2.2 (CP 1066): too long for a 16-bit length: UN, in little endian order.
            headerVR = DicomVR.UN;
        }

        await output.EnsureAsync(12, true, ct).ConfigureAwait(false);
        output.PutHeader(tag, headerVR, padded);

        // PS3.5 7.3: numbers change byte order; bytes and characters do not.
        var targetBigEndian = output.IsBigEndian && headerVR != DicomVR.UN;
        var swapUnit = bigEndian != targetBigEndian ? DicomVRInfo.ByteSwapUnit(valueVR) : 1;
        long remaining = length;
        while (remaining > 0)
        {
            if (!await FillAsync((int)Math.Min(remaining, swapUnit), ct).ConfigureAwait(false))
            {
                throw new DicomContentException($"The data ends inside the value of {tag}", Position);
            }

            var count = (int)Math.Min(remaining, Available);
            if (count >= swapUnit)
            {
                count -= count % swapUnit;
            }

            await output.WriteBytesAsync(input.AsMemory(start, count), swapUnit, true, ct).ConfigureAwait(false);
            Consume(count);
            remaining -= count;
        }

        if ((length & 1) == 1)
        {
            await output.EnsureAsync(1, true, ct).ConfigureAwait(false);
            output.PutByte(DicomVRInfo.PaddingByte(valueVR));
        }
    }

    /// <summary>
    /// Converts the items of a sequence: to its defined end, or to the sequence delimiter, or (delimiter missing) to
    /// the end of the enclosing defined-length item, <paramref name="parentLimit"/>.
    /// </summary>
    private async ValueTask ConvertSequenceAsync(
        DicomTag tag, uint length, bool explicitVR, bool bigEndian, long parentLimit, int depth, CancellationToken ct)
    {
        if (depth > MaxDepth)
        {
            throw new DicomContentException($"Sequences are nested deeper than {MaxDepth} levels", Position);
        }

        var limit = parentLimit;
        if (length != DicomOutputBuffer.UndefinedLength)
        {
            limit = Position + length;
            if (parentLimit >= 0 && limit > parentLimit)
            {
                throw new DicomContentException($"The sequence {tag} runs past the end of its item", Position);
            }
        }

        await output.EnsureAsync(12, true, ct).ConfigureAwait(false);
        output.PutHeader(tag, DicomVR.SQ, DicomOutputBuffer.UndefinedLength);
        while (limit < 0 || Position < limit)
        {
            if (!await FillAsync(8, ct).ConfigureAwait(false))
            {
                throw new DicomContentException($"The data ends inside the sequence {tag}", Position);
            }

            var itemTag = ReadTag(bigEndian);
            var itemLength = ReadUInt32(start + 4, bigEndian);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                Consume(8);
                break;
            }

            if (itemTag != DicomTag.Item)
            {
                throw new DicomContentException($"Expected an item in the sequence {tag}, found {itemTag} (PS3.5 7.5)", Position);
            }

            Consume(8);
            await output.EnsureAsync(8, true, ct).ConfigureAwait(false);
            output.PutItemHeader(DicomTag.Item, DicomOutputBuffer.UndefinedLength);
            if (itemLength == DicomOutputBuffer.UndefinedLength)
            {
                await ConvertElementsAsync(explicitVR, bigEndian, limit, true, depth, ct).ConfigureAwait(false);
            }
            else
            {
                var itemLimit = Position + itemLength;
                if (limit >= 0 && itemLimit > limit)
                {
                    throw new DicomContentException($"An item of {tag} runs past the end of the sequence", Position);
                }

                await ConvertElementsAsync(explicitVR, bigEndian, itemLimit, false, depth, ct).ConfigureAwait(false);
            }

            await output.EnsureAsync(8, true, ct).ConfigureAwait(false);
            output.PutItemHeader(DicomTag.ItemDelimitationItem, 0);
        }

        await output.EnsureAsync(8, true, ct).ConfigureAwait(false);
        output.PutItemHeader(DicomTag.SequenceDelimitationItem, 0);
    }

    private async ValueTask SkipAsync(long length, CancellationToken ct)
    {
        while (length > 0)
        {
            if (!await FillAsync(1, ct).ConfigureAwait(false))
            {
                throw new DicomContentException("The data ends inside a value", Position);
            }

            var count = (int)Math.Min(length, Available);
            Consume(count);
            length -= count;
        }
    }

    /// <summary>Makes <paramref name="count"/> bytes available; false when the source ends first.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken ct)
    {
        if (Available >= count)
        {
            return true;
        }

        if (start > 0)
        {
            Buffer.BlockCopy(input, start, input, 0, Available);
            consumedBeforeBuffer += start;
            end -= start;
            start = 0;
        }

        while (Available < count && !endOfSource)
        {
            var read = await source.ReadAsync(input.AsMemory(end), ct).ConfigureAwait(false);
            if (read == 0)
            {
                endOfSource = true;
            }

            end += read;
        }

        return Available >= count;
    }

    private void Consume(int count) => start += count;

    private DicomTag ReadTag(bool bigEndian) => new(ReadUInt16(start, bigEndian), ReadUInt16(start + 2, bigEndian));

    private ushort ReadUInt16(int at, bool bigEndian) => bigEndian
        ? BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(at))
        : BinaryPrimitives.ReadUInt16LittleEndian(input.AsSpan(at));

    private uint ReadUInt32(int at, bool bigEndian) => bigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(input.AsSpan(at))
        : BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan(at));
}
