namespace DicomArchive.Dicom;

/// <summary>The writing pass: headers, values, sequences and fragments.</summary>
internal sealed partial class DicomEncoder
{
    private async ValueTask WriteElementsAsync(DicomDataset dataset, bool topLevel, bool async, CancellationToken ct)
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
                    await WriteGroupLengthAsync(value, dataset, async, ct).ConfigureAwait(false);
                    break;
                case DicomValueElement value when TryWriteSmallValueElement(value, dataset):
                    break;
                case DicomValueElement value:
                    await WriteValueElementAsync(value, dataset, async, ct).ConfigureAwait(false);
                    break;
                case DicomSequence sequence:
                    await WriteSequenceAsync(sequence, async, ct).ConfigureAwait(false);
                    break;
                case DicomFragmentSequence fragments:
                    await WriteFragmentsAsync(fragments, async, ct).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async ValueTask WriteGroupLengthAsync(DicomValueElement element, DicomDataset parent, bool async, CancellationToken ct)
    {
        var groupLength = lengths[cursor++];
        if (options.GroupLength == DicomGroupLengthMode.Keep)
        {
            await WriteValueElementAsync(element, parent, async, ct).ConfigureAwait(false);
            return;
        }

        if (groupLength > uint.MaxValue)
        {
            throw new InvalidOperationException($"The group of {element.Tag} is longer than its UL group length can express (PS3.5 7.2).");
        }

        await output.EnsureAsync(12, async, ct).ConfigureAwait(false);
        output.PutHeader(element.Tag, DicomVR.UL, 4);
        output.PutUInt32((uint)groupLength);
    }

    /// <summary>
    /// The fast path for the common element: loaded, of even length, fitting the free buffer space; written with no
    /// asynchronous machinery. False (nothing written) otherwise.
    /// </summary>
    private bool TryWriteSmallValueElement(DicomValueElement element, DicomDataset parent)
    {
        var length = element.Length;
        if (!element.IsLoaded || (length & 1) == 1 || length > output.FreeSpace - 12)
        {
            return false;
        }

        ResolveVR(element, parent, out var valueVR, out var headerVR);
        output.PutHeader(element.Tag, headerVR, (uint)length);
        output.PutBytes(element.Bytes.Span, bigEndian && headerVR != DicomVR.UN ? DicomVRInfo.ByteSwapUnit(valueVR) : 1);
        return true;
    }

    private async ValueTask WriteValueElementAsync(DicomValueElement element, DicomDataset parent, bool async, CancellationToken ct)
    {
        ResolveVR(element, parent, out var valueVR, out var headerVR);
        var length = element.Length;
        await output.EnsureAsync(12, async, ct).ConfigureAwait(false);
        output.PutHeader(element.Tag, headerVR, (uint)PaddedLength(length));

        // PS3.5 7.3: in big endian each number of a binary VR is byte-swapped; values are held little endian.
        // A value demoted to UN (too long for its VR) keeps little endian order, as UN carries no byte order.
        var valueBigEndian = bigEndian && headerVR != DicomVR.UN;
        var unit = DicomVRInfo.ByteSwapUnit(valueVR);
        if (element.BulkData is { } bulkData)
        {
            await output.WriteBulkDataAsync(bulkData, element.Tag, bulkData.IsBigEndian != valueBigEndian ? unit : 1, async, ct)
                .ConfigureAwait(false);
        }
        else if ((length & 1) == 1 && valueBigEndian && unit == 2)
        {
            // An odd 16-bit value (non-conformant source): padded first, then swapped, so the pad ends up in its word.
            await output.WriteBytesAsync(element.Bytes[..^1], unit, async, ct).ConfigureAwait(false);
            await output.EnsureAsync(2, async, ct).ConfigureAwait(false);
            output.PutByte(DicomVRInfo.PaddingByte(valueVR));
            output.PutByte(element.Bytes.Span[^1]);
            return;
        }
        else
        {
            await output.WriteBytesAsync(element.Bytes, valueBigEndian ? unit : 1, async, ct).ConfigureAwait(false);
        }

        if ((length & 1) == 1)
        {
            // PS3.5 7.1.1: values have even length; an odd one (from a non-conformant source) gets its VR's padding (PS3.5 6.2).
            await output.EnsureAsync(1, async, ct).ConfigureAwait(false);
            output.PutByte(DicomVRInfo.PaddingByte(valueVR));
        }
    }

    private async ValueTask WriteSequenceAsync(DicomSequence sequence, bool async, CancellationToken ct)
    {
        // PS3.5 7.5: the sequence is written as SQ even when it was read as UN (an implicit VR sequence in an
        // explicit VR source, PS3.5 6.2.2): its items are encoded in the target syntax, which SQ alone allows.
        var length = lengths[cursor++];
        await output.EnsureAsync(12, async, ct).ConfigureAwait(false);
        output.PutHeader(sequence.Tag, DicomVR.SQ, length < 0 ? DicomOutputBuffer.UndefinedLength : (uint)length);
        foreach (var item in sequence.Items)
        {
            var itemLength = lengths[cursor++];
            await output.EnsureAsync(8, async, ct).ConfigureAwait(false);
            output.PutItemHeader(DicomTag.Item, itemLength < 0 ? DicomOutputBuffer.UndefinedLength : (uint)itemLength);
            await WriteElementsAsync(item, topLevel: false, async, ct).ConfigureAwait(false);
            if (itemLength < 0)
            {
                await output.EnsureAsync(8, async, ct).ConfigureAwait(false);
                output.PutItemHeader(DicomTag.ItemDelimitationItem, 0);
            }
        }

        if (length < 0)
        {
            await output.EnsureAsync(8, async, ct).ConfigureAwait(false);
            output.PutItemHeader(DicomTag.SequenceDelimitationItem, 0);
        }
    }

    private async ValueTask WriteFragmentsAsync(DicomFragmentSequence fragments, bool async, CancellationToken ct)
    {
        // PS3.5 A.4: (7FE0,0010) OB, undefined length; item 1 is the Basic Offset Table (possibly empty); then one
        // item per fragment, each of even length; then the sequence delimiter.
        await output.EnsureAsync(20, async, ct).ConfigureAwait(false);
        output.PutHeader(fragments.Tag, fragments.VR == DicomVR.OW ? DicomVR.OW : DicomVR.OB, DicomOutputBuffer.UndefinedLength);
        output.PutItemHeader(DicomTag.Item, (uint)PaddedLength(fragments.OffsetTable.Length));
        await output.WriteBytesAsync(fragments.OffsetTable, 1, async, ct).ConfigureAwait(false);
        await PadAsync(fragments.OffsetTable.Length, async, ct).ConfigureAwait(false);
        foreach (var fragment in fragments.Fragments)
        {
            await output.EnsureAsync(8, async, ct).ConfigureAwait(false);
            output.PutItemHeader(DicomTag.Item, (uint)PaddedLength(fragment.Length));
            if (fragment.BulkData is { } bulkData)
            {
                await output.WriteBulkDataAsync(bulkData, fragments.Tag, 1, async, ct).ConfigureAwait(false);
            }
            else
            {
                await output.WriteBytesAsync(fragment.Bytes, 1, async, ct).ConfigureAwait(false);
            }

            await PadAsync(fragment.Length, async, ct).ConfigureAwait(false);
        }

        await output.EnsureAsync(8, async, ct).ConfigureAwait(false);
        output.PutItemHeader(DicomTag.SequenceDelimitationItem, 0);
    }

    private async ValueTask PadAsync(long length, bool async, CancellationToken ct)
    {
        if ((length & 1) == 1)
        {
            await output.EnsureAsync(1, async, ct).ConfigureAwait(false);
            output.PutByte(0);
        }
    }
}
