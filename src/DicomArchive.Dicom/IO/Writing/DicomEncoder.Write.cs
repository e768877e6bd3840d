using System.Buffers.Binary;

namespace DicomArchive.Dicom;

/// <summary>The writing pass: headers, values, sequences and fragments.</summary>
internal sealed partial class DicomEncoder
{
    private async ValueTask WriteElementsAsync(DicomDataset dataset, bool topLevel, bool async, CancellationToken cancellationToken)
    {
        foreach (var element in dataset)
        {
            if (!IsWritten(element, topLevel))
            {
                continue;
            }

            switch (element)
            {
                case DicomValueElement value when value.Tag.IsGroupLength:
                    await WriteGroupLengthAsync(value, dataset, async, cancellationToken).ConfigureAwait(false);
                    break;
                case DicomValueElement value:
                    await WriteValueElementAsync(value, dataset, async, cancellationToken).ConfigureAwait(false);
                    break;
                case DicomSequence sequence:
                    await WriteSequenceAsync(sequence, async, cancellationToken).ConfigureAwait(false);
                    break;
                case DicomFragmentSequence fragments:
                    await WriteFragmentsAsync(fragments, async, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async ValueTask WriteGroupLengthAsync(DicomValueElement element, DicomDataset parent, bool async, CancellationToken cancellationToken)
    {
        var groupLength = lengths[cursor++];
        if (options.GroupLength == DicomGroupLengthMode.Keep)
        {
            await WriteValueElementAsync(element, parent, async, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (groupLength > uint.MaxValue)
        {
            throw new InvalidOperationException($"The group of {element.Tag} is longer than its UL group length can express (PS3.5 7.2).");
        }

        await EnsureAsync(12, async, cancellationToken).ConfigureAwait(false);
        PutHeader(element.Tag, DicomVR.UL, 4);
        PutUInt32((uint)groupLength);
    }

    private async ValueTask WriteValueElementAsync(DicomValueElement element, DicomDataset parent, bool async, CancellationToken cancellationToken)
    {
        ResolveVR(element, parent, out var valueVR, out var headerVR);
        var length = element.Length;
        await EnsureAsync(12, async, cancellationToken).ConfigureAwait(false);
        PutHeader(element.Tag, headerVR, (uint)PaddedLength(length));

        // PS3.5 7.3: in big endian each number of a binary VR is byte-swapped; values are held little endian.
        // A value demoted to UN (too long for its VR) keeps little endian order, as UN carries no byte order.
        var valueBigEndian = bigEndian && headerVR != DicomVR.UN;
        var unit = DicomVRInfo.ByteSwapUnit(valueVR);
        if (element.BulkData is { } bulkData)
        {
            await WriteBulkDataAsync(bulkData, element.Tag, bulkData.IsBigEndian != valueBigEndian ? unit : 1, async, cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            await WriteBytesAsync(element.Bytes, valueBigEndian ? unit : 1, async, cancellationToken).ConfigureAwait(false);
        }

        if ((length & 1) == 1)
        {
            // PS3.5 7.1.1: values have even length; an odd one (from a non-conformant source) gets its VR's padding (PS3.5 6.2).
            await EnsureAsync(1, async, cancellationToken).ConfigureAwait(false);
            buffer[position++] = DicomVRInfo.PaddingByte(valueVR);
        }
    }

    private async ValueTask WriteSequenceAsync(DicomSequence sequence, bool async, CancellationToken cancellationToken)
    {
        // PS3.5 7.5: the sequence is written as SQ even when it was read as UN (an implicit VR sequence in an
        // explicit VR source, PS3.5 6.2.2): its items are encoded in the target syntax, which SQ alone allows.
        var length = lengths[cursor++];
        await EnsureAsync(12, async, cancellationToken).ConfigureAwait(false);
        PutHeader(sequence.Tag, DicomVR.SQ, length < 0 ? UndefinedLength : (uint)length);
        foreach (var item in sequence.Items)
        {
            var itemLength = lengths[cursor++];
            await EnsureAsync(8, async, cancellationToken).ConfigureAwait(false);
            PutItemHeader(DicomTag.Item, itemLength < 0 ? UndefinedLength : (uint)itemLength);
            await WriteElementsAsync(item, topLevel: false, async, cancellationToken).ConfigureAwait(false);
            if (itemLength < 0)
            {
                await EnsureAsync(8, async, cancellationToken).ConfigureAwait(false);
                PutItemHeader(DicomTag.ItemDelimitationItem, 0);
            }
        }

        if (length < 0)
        {
            await EnsureAsync(8, async, cancellationToken).ConfigureAwait(false);
            PutItemHeader(DicomTag.SequenceDelimitationItem, 0);
        }
    }

    private async ValueTask WriteFragmentsAsync(DicomFragmentSequence fragments, bool async, CancellationToken cancellationToken)
    {
        // PS3.5 A.4: (7FE0,0010) OB, undefined length; item 1 is the Basic Offset Table (possibly empty); then one
        // item per fragment, each of even length; then the sequence delimiter.
        await EnsureAsync(20, async, cancellationToken).ConfigureAwait(false);
        PutHeader(fragments.Tag, fragments.VR == DicomVR.OW ? DicomVR.OW : DicomVR.OB, UndefinedLength);
        PutItemHeader(DicomTag.Item, (uint)PaddedLength(fragments.OffsetTable.Length));
        await WriteBytesAsync(fragments.OffsetTable, 1, async, cancellationToken).ConfigureAwait(false);
        await PadAsync(fragments.OffsetTable.Length, async, cancellationToken).ConfigureAwait(false);
        foreach (var fragment in fragments.Fragments)
        {
            await EnsureAsync(8, async, cancellationToken).ConfigureAwait(false);
            PutItemHeader(DicomTag.Item, (uint)PaddedLength(fragment.Length));
            if (fragment.BulkData is { } bulkData)
            {
                await WriteBulkDataAsync(bulkData, fragments.Tag, 1, async, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteBytesAsync(fragment.Bytes, 1, async, cancellationToken).ConfigureAwait(false);
            }

            await PadAsync(fragment.Length, async, cancellationToken).ConfigureAwait(false);
        }

        await EnsureAsync(8, async, cancellationToken).ConfigureAwait(false);
        PutItemHeader(DicomTag.SequenceDelimitationItem, 0);
    }

    private async ValueTask PadAsync(long length, bool async, CancellationToken cancellationToken)
    {
        if ((length & 1) == 1)
        {
            await EnsureAsync(1, async, cancellationToken).ConfigureAwait(false);
            buffer[position++] = 0;
        }
    }

    /// <summary>Copies value bytes out, reversing each <paramref name="swapUnit"/>-sized number (1: none).</summary>
    private async ValueTask WriteBytesAsync(ReadOnlyMemory<byte> value, int swapUnit, bool async, CancellationToken cancellationToken)
    {
        if (value.Length <= buffer.Length - position)
        {
            value.Span.CopyTo(buffer.AsSpan(position));
            DicomByteOrder.SwapInPlace(buffer.AsSpan(position, value.Length), swapUnit);
            position += value.Length;
            return;
        }

        if (swapUnit == 1 && value.Length >= DirectWriteThreshold)
        {
            await FlushAsync(async, cancellationToken).ConfigureAwait(false);
            await WriteToDestinationAsync(value, async, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Chunks start at multiples of 8 bytes from the value start, so no number is split between two chunks.
        var offset = 0;
        while (offset < value.Length)
        {
            var free = (buffer.Length - position) & ~7;
            if (free == 0)
            {
                await FlushAsync(async, cancellationToken).ConfigureAwait(false);
                free = buffer.Length;
            }

            var count = Math.Min(value.Length - offset, free);
            value.Span.Slice(offset, count).CopyTo(buffer.AsSpan(position));
            DicomByteOrder.SwapInPlace(buffer.AsSpan(position, count), swapUnit);
            position += count;
            offset += count;
        }
    }

    /// <summary>
    /// Streams a value left in its source file through the buffer, never loading it whole; swaps byte order when
    /// <paramref name="swapUnit"/> is above 1.
    /// </summary>
    private async ValueTask WriteBulkDataAsync(
        DicomBulkDataReference bulkData, DicomTag tag, int swapUnit, bool async, CancellationToken cancellationToken)
    {
        if (bulkData.SourcePath is null)
        {
            throw new InvalidOperationException(
                $"The value of {tag} was not loaded and its source cannot be reopened; read the data set with a larger bulk data threshold.");
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
                    await FlushAsync(async, cancellationToken).ConfigureAwait(false);
                    free = buffer.Length;
                }

                var count = (int)Math.Min(remaining, free);
                if (async)
                {
                    await source.ReadExactlyAsync(buffer.AsMemory(position, count), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    source.ReadExactly(buffer, position, count);
                }

                DicomByteOrder.SwapInPlace(buffer.AsSpan(position, count), swapUnit);
                position += count;
                remaining -= count;
            }
        }
    }

    private ValueTask EnsureAsync(int count, bool async, CancellationToken cancellationToken) =>
        buffer.Length - position >= count ? ValueTask.CompletedTask : FlushAsync(async, cancellationToken);

    private async ValueTask FlushAsync(bool async, CancellationToken cancellationToken)
    {
        if (position == 0)
        {
            return;
        }

        await WriteToDestinationAsync(buffer.AsMemory(0, position), async, cancellationToken).ConfigureAwait(false);
        position = 0;
    }

    private async ValueTask WriteToDestinationAsync(ReadOnlyMemory<byte> bytes, bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            destination.Write(bytes.Span);
        }
    }

    /// <summary>
    /// PS3.5 7.1.2 and 7.1.3: implicit VR: tag, 32-bit length (8 bytes); explicit VR with a VR of Table 7.1-1:
    /// tag, VR, two reserved bytes 0000H, 32-bit length (12 bytes); explicit VR otherwise: tag, VR, 16-bit length (8 bytes).
    /// Numbers in the byte order of the syntax; the VR is two ASCII characters either way.
    /// </summary>
    private void PutHeader(DicomTag tag, DicomVR vr, uint length)
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

    /// <summary>PS3.5 7.5: items and delimiters have no VR in any syntax: tag, 32-bit length.</summary>
    private void PutItemHeader(DicomTag tag, uint length)
    {
        PutTag(tag);
        PutUInt32(length);
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

    private void PutUInt32(uint value)
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
}
