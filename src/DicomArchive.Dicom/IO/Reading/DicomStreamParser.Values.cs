namespace DicomArchive.Dicom;

/// <summary>Values, sequences and fragments: what follows an element header.</summary>
internal sealed partial class DicomStreamParser
{
    /// <summary>Values up to this length share one block of memory, so a header costs few allocations.</summary>
    private const int SmallValueLength = 256;

    private const int SmallValueBlockSize = 4096;

    /// <summary>Past this length, a value from a source of unknown length is read into a growing array.</summary>
    private const int UnverifiedAllocationLimit = 1024 * 1024;

    private byte[]? smallValueBlock;
    private int smallValueBlockUsed;

    /// <summary>Reads the value after a header (PS3.5 7.1). Returns true when a value element was added.</summary>
    private async ValueTask<bool> ReadElementAsync(
        DicomParserFrame frame, DicomElementHeader header, DicomVR vr, long headerPosition, bool async, CancellationToken ct)
    {
        var tag = header.Tag;
        if (header.HasUndefinedLength)
        {
            if (tag == DicomTag.PixelData && vr != DicomVR.SQ)
            {
                // PS3.5 A.4: encapsulated pixel data is an undefined-length OB element of fragment items.
                PushFragments(frame, tag, frame.ExplicitVR ? vr : DicomVR.OB);
                return false;
            }

            // PS3.5 7.5.1: a sequence of undefined length. An implicit VR element of undefined length can only be
            // a sequence; in explicit VR, UN (or another VR where a writer lost the SQ) of undefined length holds a
            // sequence encoded in implicit VR little endian (PS3.5 6.2.2 note).
            var nestedExplicit = frame.ExplicitVR && vr == DicomVR.SQ;
            PushSequence(frame, tag, frame.ExplicitVR ? vr : DicomVR.SQ, -1, nestedExplicit, !nestedExplicit || frame.LittleEndian, headerPosition);
            return false;
        }

        long length = header.Length;
        CheckLength(frame, tag, length, headerPosition);
        if (vr == DicomVR.SQ)
        {
            PushSequence(frame, tag, DicomVR.SQ, buffer.Position + length, frame.ExplicitVR, frame.LittleEndian, headerPosition);
            return false;
        }

        if (length > options.BulkDataThreshold)
        {
            frame.Dataset.Add(new DicomValueElement(tag, vr, await SkipBulkDataAsync(length, frame.LittleEndian, async, ct).ConfigureAwait(false)));
            return true;
        }

        var value = await LoadValueAsync(tag, length, DicomVRInfo.ByteSwapUnit(vr), frame.LittleEndian, headerPosition, async, ct).ConfigureAwait(false);
        frame.Dataset.Add(new DicomValueElement(tag, vr, value));
        return true;
    }

    /// <summary>
    /// The common case without a state machine: a value that is already in the buffer, loaded whole. Returns
    /// false, having consumed nothing, for anything else (sequences, bulk data, values still to be read).
    /// </summary>
    private bool TryReadBufferedValue(DicomParserFrame frame, DicomElementHeader header, DicomVR vr, long headerPosition)
    {
        var length = header.Length;
        if (vr == DicomVR.SQ || length > (uint)buffer.AvailableCount || length > options.BulkDataThreshold
            || length > options.MaxValueLength)
        {
            return false;
        }

        CheckLength(frame, header.Tag, length, headerPosition);
        var count = (int)length;
        var value = Allocate(count);
        buffer.Available[..count].CopyTo(value.Span);
        buffer.Advance(count);
        if (!frame.LittleEndian)
        {
            DicomByteSwap.SwapInPlace(value.Span, DicomVRInfo.ByteSwapUnit(vr));
        }

        frame.Dataset.Add(new DicomValueElement(header.Tag, vr, value));
        return true;
    }

    /// <summary>One item of encapsulated pixel data (PS3.5 A.4): the Basic Offset Table first, then fragments.</summary>
    private async ValueTask ReadFragmentAsync(
        DicomParserFrame frame, DicomElementHeader header, int headerLength, long position, bool async, CancellationToken ct)
    {
        if (header.Tag == DicomTag.SequenceDelimitationItem)
        {
            buffer.Advance(headerLength);
            PopFrame();
            return;
        }

        if (header.Tag != DicomTag.Item)
        {
            DicomReaderErrors.Throw($"Expected a fragment item in encapsulated {frame.Tag}, found {header.Tag}", position);
        }

        if (header.HasUndefinedLength)
        {
            // PS3.5 A.4: every item of encapsulated pixel data has a defined length.
            DicomReaderErrors.Throw($"A fragment of {frame.Tag} has undefined length", position);
        }

        buffer.Advance(headerLength);
        long length = header.Length;
        CheckLength(frame, frame.Tag, length, position);
        if (frame.Fragments is null)
        {
            var offsetTable = await LoadValueAsync(frame.Tag, length, 1, true, position, async, ct).ConfigureAwait(false);
            frame.Fragments = new DicomFragmentSequence(frame.Tag, frame.VR, offsetTable);
            frame.Dataset.Add(frame.Fragments);
            return;
        }

        var fragment = length > options.BulkDataThreshold
            ? new DicomFragment(await SkipBulkDataAsync(length, true, async, ct).ConfigureAwait(false))
            : new DicomFragment(await LoadValueAsync(frame.Tag, length, 1, true, position, async, ct).ConfigureAwait(false));
        frame.Fragments.Fragments.Add(fragment);
    }

    private void PushSequence(
        DicomParserFrame frame, DicomTag tag, DicomVR vr, long end, bool explicitVR, bool littleEndian, long headerPosition)
    {
        var depth = frame.Depth + 1;
        if (depth > options.MaxSequenceDepth)
        {
            DicomReaderErrors.Throw($"Sequence {tag} is nested {depth} deep, more than the limit of {options.MaxSequenceDepth}", headerPosition);
        }

        var sequence = new DicomSequence(tag, vr) { HadUndefinedLength = end < 0 };
        frame.Dataset.Add(sequence);
        frames.Add(new DicomParserFrame
        {
            Kind = DicomParserFrameKind.Sequence,
            Dataset = frame.Dataset,
            Sequence = sequence,
            Tag = tag,
            VR = vr,
            End = end,
            ParentLimit = frame.Limit,
            ExplicitVR = explicitVR,
            LittleEndian = littleEndian,
            Depth = depth,
        });
    }

    private void PushFragments(DicomParserFrame frame, DicomTag tag, DicomVR vr) =>
        frames.Add(new DicomParserFrame
        {
            Kind = DicomParserFrameKind.Fragments,
            Dataset = frame.Dataset,
            Tag = tag,
            VR = vr,
            ParentLimit = frame.Limit,

            // PS3.5 A.4: items of encapsulated pixel data are little endian.
            ExplicitVR = true,
            LittleEndian = true,
            Depth = frame.Depth,
        });

    /// <summary>Leaves a value in the source and returns where it is (bulk data).</summary>
    private async ValueTask<DicomBulkDataReference> SkipBulkDataAsync(long length, bool littleEndian, bool async, CancellationToken ct)
    {
        var reference = new DicomBulkDataReference(buffer.CanSeek ? sourcePath : null, buffer.Position, length, !littleEndian);
        await buffer.SkipAsync(length, async, ct).ConfigureAwait(false);
        return reference;
    }

    /// <summary>Loads a value (its length already checked against the source), swapped to little endian.</summary>
    private async ValueTask<ReadOnlyMemory<byte>> LoadValueAsync(
        DicomTag tag, long length, int swapUnit, bool littleEndian, long headerPosition, bool async, CancellationToken ct)
    {
        if (length > Math.Min(options.MaxValueLength, Array.MaxLength))
        {
            DicomReaderErrors.Throw($"Element {tag} has length {length}, more than the limit of {options.MaxValueLength}", headerPosition);
        }

        var count = (int)length;
        Memory<byte> value;
        if (count <= buffer.AvailableCount)
        {
            value = Allocate(count);
            buffer.Available[..count].CopyTo(value.Span);
            buffer.Advance(count);
        }
        else if (buffer.Remaining < 0 && count > UnverifiedAllocationLimit)
        {
            value = await buffer.ReadGrowingAsync(count, async, ct).ConfigureAwait(false);
        }
        else
        {
            value = Allocate(count);
            await buffer.ReadExactAsync(value, async, ct).ConfigureAwait(false);
        }

        if (!littleEndian && swapUnit > 1)
        {
            // PS3.5 7.3: values are held little endian; big endian binary numbers are swapped once, here.
            DicomByteSwap.SwapInPlace(value.Span, swapUnit);
        }

        return value;
    }

    private Memory<byte> Allocate(int length)
    {
        if (length == 0)
        {
            return Memory<byte>.Empty;
        }

        if (length > SmallValueLength)
        {
            return new byte[length];
        }

        if (smallValueBlock is null || smallValueBlock.Length - smallValueBlockUsed < length)
        {
            // A small source (a command set, a short data set) gets a block no larger than itself.
            var remaining = buffer.Remaining + length;
            var size = remaining > 0 && remaining < SmallValueBlockSize ? (int)Math.Max(remaining, SmallValueLength) : SmallValueBlockSize;
            smallValueBlock = new byte[size];
            smallValueBlockUsed = 0;
        }

        var slice = smallValueBlock.AsMemory(smallValueBlockUsed, length);
        smallValueBlockUsed += length;
        return slice;
    }

    /// <summary>The VR of an implicit VR element (PS3.5 A.1): the dictionary's, UN when unknown.</summary>
    internal static DicomVR ImplicitVR(DicomTag tag, DicomDataset? dataset = null)
    {
        if (!DicomDictionary.TryGetEntry(tag, out var entry) || entry.VR == DicomVR.None)
        {
            return DicomVR.UN;
        }

        // PS3.5 A.1: in implicit VR little endian, the "OB or OW" elements (Pixel Data, overlays) are OW.
        if (entry.VR == DicomVR.OB && entry.AlternateVR == DicomVR.OW)
        {
            return DicomVR.OW;
        }

        // PS3.5 A.1 and PS3.3 C.7.6.3.1: "US or SS" elements (Smallest/Largest Pixel Value and the like) are SS
        // when Pixel Representation (0028,0103), which precedes them in tag order, says the pixels are signed.
        if (entry.VR == DicomVR.US && entry.AlternateVR == DicomVR.SS
            && dataset is not null && dataset.TryGetInt32(PixelRepresentationTag, out var signed) && signed == 1)
        {
            return DicomVR.SS;
        }

        return entry.VR;
    }

    private static readonly DicomTag PixelRepresentationTag = new(0x0028, 0x0103);
}
