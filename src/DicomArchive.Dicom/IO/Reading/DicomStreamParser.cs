namespace DicomArchive.Dicom;

/// <summary>
/// Parses data elements from a <see cref="DicomReadBuffer"/> into a <see cref="DicomDataset"/> (PS3.5 7).
/// Nesting is an explicit stack of <see cref="DicomParserFrame"/>s, so one loop reads everything: element
/// headers are decoded from the buffered span and small values copied out synchronously; the loop awaits only
/// to refill the buffer or to move a large value.
/// </summary>
internal sealed partial class DicomStreamParser
{
    private readonly DicomReadBuffer buffer;
    private readonly DicomReaderOptions options;
    private readonly string? sourcePath;
    private readonly List<DicomParserFrame> frames = [];

    public DicomStreamParser(DicomReadBuffer buffer, DicomReaderOptions options, string? sourcePath)
    {
        this.buffer = buffer;
        this.options = options;
        this.sourcePath = sourcePath;
    }

    /// <summary>How the top-level loop decides to stop before an element it does not consume.</summary>
    private enum StopRule
    {
        /// <summary>Read to the end of the source (or the StopBeforeTag option).</summary>
        EndOfSource,

        /// <summary>File Meta Information: stop before the first element outside group 0002 (PS3.10 7.1).</summary>
        MetaGroup,
    }

    /// <summary>Reads a data set to the end of the source, or up to <see cref="DicomReaderOptions.StopBeforeTag"/>.</summary>
    public ValueTask ReadDatasetAsync(DicomDataset dataset, bool explicitVR, bool littleEndian, bool async, CancellationToken ct) =>
        RunAsync(dataset, explicitVR, littleEndian, -1, StopRule.EndOfSource, async, ct);

    /// <summary>
    /// Reads File Meta Information elements (explicit VR little endian, PS3.10 7.1) up to the end its group
    /// length gives, or else to the first element outside group 0002.
    /// </summary>
    public ValueTask ReadMetaAsync(DicomDataset dataset, bool async, CancellationToken ct) =>
        RunAsync(dataset, true, true, -1, StopRule.MetaGroup, async, ct);

    private async ValueTask RunAsync(
        DicomDataset dataset, bool explicitVR, bool littleEndian, long end, StopRule stopRule, bool async, CancellationToken ct)
    {
        frames.Clear();
        frames.Add(new DicomParserFrame
        {
            Kind = DicomParserFrameKind.Dataset,
            Dataset = dataset,
            ExplicitVR = explicitVR,
            LittleEndian = littleEndian,
            End = end,
        });

        var metaEnd = -1L;
        while (frames.Count > 0)
        {
            var frame = frames[^1];
            var position = buffer.Position;
            if (frame.End >= 0 && position >= frame.End)
            {
                if (position > frame.End)
                {
                    DicomReaderErrors.Throw($"The content of {frame.Tag} runs past its declared length", frame.End);
                }

                // A defined length has been read to its end (PS3.5 7.5.1); the top level ends here too.
                frames.RemoveAt(frames.Count - 1);
                continue;
            }

            if (frame.End < 0 && frame.ParentLimit >= 0 && position >= frame.ParentLimit)
            {
                // An undefined-length item, sequence or pixel data inside a defined-length item ran to that item's
                // end without its delimiter: the enclosing length wins, and the frame ends with it.
                PopFrame();
                continue;
            }

            if (metaEnd >= 0 && position >= metaEnd && frame.IsTopLevel)
            {
                break;
            }

            var status = DicomElementHeaderDecoder.DecodeElementHeader(
                buffer.Available, frame.ExplicitVR, frame.LittleEndian, out var header, out var headerLength);
            if (status == ElementHeaderStatus.NeedMoreData)
            {
                if (await buffer.FillAsync(buffer.AvailableCount + 1, async, ct).ConfigureAwait(false))
                {
                    continue;
                }

                if (frame.IsTopLevel && frame.End < 0 && IsAllZero(buffer.Available))
                {
                    // The source ends cleanly between elements (or with a few stray NUL bytes).
                    buffer.Advance(buffer.AvailableCount);
                    break;
                }

                DicomReaderErrors.ThrowTruncated(buffer.AvailableCount == 0 ? position : buffer.SourceEnd >= 0 ? buffer.SourceEnd : position);
            }

            if (frame.IsTopLevel)
            {
                if (stopRule == StopRule.MetaGroup ? header.Tag.Group != 0x0002 || status != ElementHeaderStatus.Ok
                    : options.StopBeforeTag is { } stop && status == ElementHeaderStatus.Ok && header.Tag >= stop && !header.Tag.IsDelimiter)
                {
                    break;
                }

                if (stopRule == StopRule.EndOfSource && IsTrailingZeros(frame.Dataset, buffer.Available))
                {
                    await SkipTrailingZerosAsync(async, ct).ConfigureAwait(false);
                    break;
                }
            }

            DicomReaderErrors.ThrowIfFailed(status, buffer.Available, position);
            if (frame.Limit >= 0 && position + headerLength > frame.Limit)
            {
                DicomReaderErrors.Throw($"Element header {header.Tag} crosses the end of its enclosing item or sequence", position);
            }

            switch (frame.Kind)
            {
                case DicomParserFrameKind.Dataset:
                    if (header.Tag.Group == 0xFFFE)
                    {
                        HandleDelimiterInDataset(frame, header, headerLength, position);
                        continue;
                    }

                    buffer.Advance(headerLength);
                    var vr = frame.ExplicitVR ? header.VR : ImplicitVR(header.Tag, frame.Dataset);
                    var added = TryReadBufferedValue(frame, header, vr, position)
                        || await ReadElementAsync(frame, header, vr, position, async, ct).ConfigureAwait(false);
                    if (added && frame.IsTopLevel
                        && stopRule == StopRule.MetaGroup && header.Tag.Value == 0x00020000
                        && frame.Dataset.TryGetInt64(header.Tag, out var groupLength) && groupLength >= 0)
                    {
                        // PS3.10 7.1: (0002,0000) gives the length of the rest of the meta information. It only
                        // decides where to stop (a deflated data set may follow with any bytes); elements that
                        // cross it are still read whole, as writers get this length wrong.
                        metaEnd = buffer.Position + groupLength;
                    }

                    break;
                case DicomParserFrameKind.Sequence:
                    StartItem(frame, header, headerLength, position);
                    break;
                default:
                    await ReadFragmentAsync(frame, header, headerLength, position, async, ct).ConfigureAwait(false);
                    break;
            }
        }

        frames.Clear();
    }

    /// <summary>Ends the innermost frame; pixel data that ended before its first item still gets its (empty) element.</summary>
    private void PopFrame()
    {
        var frame = frames[^1];
        if (frame.Kind == DicomParserFrameKind.Fragments && frame.Fragments is null)
        {
            frame.Dataset.Add(new DicomFragmentSequence(frame.Tag, frame.VR, ReadOnlyMemory<byte>.Empty));
        }

        frames.RemoveAt(frames.Count - 1);
    }

    /// <summary>An item, item delimiter or sequence delimiter met where data elements are expected.</summary>
    private void HandleDelimiterInDataset(DicomParserFrame frame, DicomElementHeader header, int headerLength, long position)
    {
        var tag = header.Tag;
        var inUndefinedItem = frame.Depth > 0 && frame.End < 0;
        if (tag == DicomTag.ItemDelimitationItem && inUndefinedItem)
        {
            // PS3.5 7.5.2: an item of undefined length ends with an item delimitation item.
            buffer.Advance(headerLength);
            frames.RemoveAt(frames.Count - 1);
            return;
        }

        if (tag == DicomTag.SequenceDelimitationItem && inUndefinedItem)
        {
            // The item's delimiter is missing; the sequence ends here. Leave the delimiter to the sequence frame.
            frames.RemoveAt(frames.Count - 1);
            return;
        }

        if ((tag == DicomTag.ItemDelimitationItem || tag == DicomTag.SequenceDelimitationItem) && header.Length == 0)
        {
            // A stray delimiter where none belongs (seen in files from some writers); it carries nothing, so skip it.
            buffer.Advance(headerLength);
            return;
        }

        DicomReaderErrors.Throw($"Unexpected {tag} in a data set", position);
    }

    /// <summary>In a sequence: an item starts (PS3.5 7.5.1), or the sequence delimitation item ends an undefined-length sequence.</summary>
    private void StartItem(DicomParserFrame frame, DicomElementHeader header, int headerLength, long position)
    {
        if (header.Tag == DicomTag.SequenceDelimitationItem)
        {
            buffer.Advance(headerLength);
            frames.RemoveAt(frames.Count - 1);
            return;
        }

        if (header.Tag != DicomTag.Item)
        {
            DicomReaderErrors.Throw($"Expected an item in sequence {frame.Tag}, found {header.Tag}", position);
        }

        buffer.Advance(headerLength);
        var itemEnd = -1L;
        if (!header.HasUndefinedLength)
        {
            CheckLength(frame, header.Tag, header.Length, position);
            itemEnd = buffer.Position + header.Length;
        }

        // PS3.5 7.5.3: an item without its own Specific Character Set uses that of the enclosing data set,
        // which is known by now because (0008,0005) precedes every sequence in tag order.
        var item = new DicomDataset { FallbackCharacterSet = frame.Dataset.CharacterSet, HadUndefinedLength = header.HasUndefinedLength };
        frame.Sequence!.Items.Add(item);
        frames.Add(new DicomParserFrame
        {
            Kind = DicomParserFrameKind.Dataset,
            Dataset = item,
            ExplicitVR = frame.ExplicitVR,
            LittleEndian = frame.LittleEndian,
            Depth = frame.Depth,
            End = itemEnd,
            ParentLimit = frame.Limit,
            Tag = DicomTag.Item,
        });
    }

    /// <summary>
    /// Checks a declared length against what remains of the enclosing defined-length item or sequence and of
    /// the source, before anything is allocated or skipped.
    /// </summary>
    private void CheckLength(DicomParserFrame frame, DicomTag tag, long length, long headerPosition)
    {
        var position = buffer.Position;
        var limit = frame.Limit;
        if (limit >= 0 && length > limit - position)
        {
            DicomReaderErrors.Throw(
                $"Element {tag} declares length {length}, beyond the end of its enclosing item or sequence ({limit - position} bytes left)",
                headerPosition);
        }

        var remaining = buffer.Remaining;
        if (remaining >= 0 && length > remaining)
        {
            DicomReaderErrors.ThrowLengthBeyondEnd(tag, length, remaining, headerPosition);
        }
    }

    private static bool IsAllZero(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);

    /// <summary>
    /// Some writers pad a file with NUL bytes after the last element. At the top level, after elements with
    /// non-zero tags, a header of all zeros (tag (0000,0000) can only come first) starts such padding.
    /// </summary>
    private static bool IsTrailingZeros(DicomDataset dataset, ReadOnlySpan<byte> available) =>
        dataset.Count > 0 && available.Length >= 8 && IsAllZero(available[..8]) && LastTag(dataset).Value != 0;

    private static DicomTag LastTag(DicomDataset dataset)
    {
        var last = default(DicomTag);
        foreach (var element in dataset)
        {
            last = element.Tag;
        }

        return last;
    }

    private async ValueTask SkipTrailingZerosAsync(bool async, CancellationToken ct)
    {
        while (true)
        {
            var available = buffer.Available;
            var nonZero = available.IndexOfAnyExcept((byte)0);
            if (nonZero >= 0)
            {
                DicomReaderErrors.Throw("Unexpected data after trailing padding of NUL bytes", buffer.Position + nonZero);
            }

            buffer.Advance(available.Length);
            if (!await buffer.FillAsync(1, async, ct).ConfigureAwait(false))
            {
                return;
            }
        }
    }
}
