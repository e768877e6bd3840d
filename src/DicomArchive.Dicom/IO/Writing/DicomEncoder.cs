namespace DicomArchive.Dicom;

/// <summary>
/// The engine behind <see cref="DicomDatasetWriter"/>: encodes a data set in one transfer syntax through a pooled
/// <see cref="DicomOutputBuffer"/>. Writing takes two passes: <see cref="Measure"/> walks the tree once and records,
/// in pre-order, the length of every sequence, item and group (so nested defined lengths cost linear, not quadratic, work), then
/// <see cref="WriteAsync"/> walks it again in the same order and consumes those lengths.
/// One code path serves the synchronous and asynchronous writers: with <c>async: false</c> every returned
/// <see cref="ValueTask"/> has completed.
/// </summary>
internal sealed partial class DicomEncoder : IDisposable
{
    /// <summary>The largest defined length: FFFFFFFFH means undefined, and lengths are even (PS3.5 7.1.1).</summary>
    private const long MaxDefinedLength = 0xFFFFFFFE;

    /// <summary>The largest value a 16-bit explicit VR length can hold, even (PS3.5 7.1.2).</summary>
    private const long MaxShortLength = 0xFFFE;

    private readonly DicomOutputBuffer output;
    private readonly DicomWriterOptions options;
    private readonly bool explicitVR;
    private readonly bool bigEndian;
    private readonly bool encapsulated;
    private readonly bool excludeFileMeta;

    /// <summary>Lengths in pre-order from the measuring pass; -1 marks an undefined length.</summary>
    private readonly List<long> lengths = [];
    private int cursor;

    /// <param name="destination">Where the bytes go.</param>
    /// <param name="syntax">The transfer syntax to encode in (deflate is the caller's business).</param>
    /// <param name="options">The writer's choices.</param>
    /// <param name="excludeFileMeta">Leaves out top-level group 0002 elements, which belong to the file meta header (PS3.10 7.1).</param>
    public DicomEncoder(Stream destination, TransferSyntax syntax, DicomWriterOptions options, bool excludeFileMeta)
    {
        this.options = options;
        this.excludeFileMeta = excludeFileMeta;
        explicitVR = syntax.IsExplicitVR;
        bigEndian = !syntax.IsLittleEndian;
        encapsulated = syntax.IsEncapsulated;
        output = new DicomOutputBuffer(destination, explicitVR, bigEndian);
    }

    /// <summary>Encodes <paramref name="dataset"/> and flushes the buffer into the destination.</summary>
    public async ValueTask WriteAsync(DicomDataset dataset, bool async, CancellationToken ct)
    {
        lengths.Clear();
        cursor = 0;
        Measure(dataset);
        await WriteElementsAsync(dataset, topLevel: true, async, ct).ConfigureAwait(false);
        await output.FlushAsync(async, ct).ConfigureAwait(false);
    }

    /// <summary>The number of bytes <paramref name="dataset"/> encodes to (and records the lengths for writing).</summary>
    public long Measure(DicomDataset dataset) => MeasureElements(dataset, topLevel: true);

    public void Dispose() => output.Dispose();

    /// <summary>Whether an element is written at all.</summary>
    private bool IsWritten(DicomElement element, bool topLevel)
    {
        var tag = element.Tag;
        if (topLevel && excludeFileMeta && tag.Group == 0x0002)
        {
            return false;
        }

        // PS3.5 7.2: group lengths are retired except in groups 0000 (PS3.7 6.3.1) and 0002 (PS3.10 7.1).
        return !(tag.IsGroupLength && options.GroupLength == DicomGroupLengthMode.RemoveRetired && tag.Group > 0x0002);
    }

    /// <summary>
    /// The VR a value is encoded by (<paramref name="valueVR"/>: padding and byte order) and the VR written in an
    /// explicit VR header (<paramref name="headerVR"/>), which differs when the value is too long for a 16-bit length.
    /// </summary>
    private void ResolveVR(DicomValueElement element, DicomDataset parent, out DicomVR valueVR, out DicomVR headerVR)
    {
        valueVR = element.VR;
        if (explicitVR && valueVR is DicomVR.UN or DicomVR.None && options.ResolveUnknownVR)
        {
            // PS3.5 6.2.2: an implicit VR reader leaves unknown VRs as UN; an explicit VR writer should name the real one.
            var known = DicomImplicitVR.FromDictionary(element.Tag, DicomImplicitVR.HasSignedPixels(parent));
            if (known is not (DicomVR.UN or DicomVR.SQ))
            {
                valueVR = known;
            }
        }

        if (valueVR == DicomVR.None)
        {
            valueVR = DicomVR.UN;
        }

        headerVR = valueVR;
        if (explicitVR && !DicomVRInfo.HasLongExplicitLength(valueVR) && PaddedLength(element.Length) > MaxShortLength)
        {
            // PS3.5 6.2.2 (CP 1066): a value too long for the 16-bit length field of its VR is encoded as UN,
            // whose length field is 32-bit. The bytes are written in little endian order, as UN values are.
            headerVR = DicomVR.UN;
        }
    }

    private static long PaddedLength(long length) => length + (length & 1);

    private int HeaderSize(DicomVR headerVR) => explicitVR && DicomVRInfo.HasLongExplicitLength(headerVR) ? 12 : 8;

    private bool IsUndefined(DicomLengthForm form, bool hadUndefinedLength) => form switch
    {
        DicomLengthForm.Undefined => true,
        DicomLengthForm.Defined => false,
        _ => hadUndefinedLength,
    };

    private int ReserveLength()
    {
        lengths.Add(0);
        return lengths.Count - 1;
    }

    private long MeasureElements(DicomDataset dataset, bool topLevel)
    {
        long total = 0;
        var groupSlot = -1;
        ushort group = 0;
        long groupStart = 0;
        foreach (var element in dataset)
        {
            if (!IsWritten(element, topLevel))
            {
                continue;
            }

            if (groupSlot >= 0 && element.Tag.Group != group)
            {
                lengths[groupSlot] = total - groupStart;
                groupSlot = -1;
            }

            total += MeasureElement(element, dataset, topLevel);
            if (element.Tag.IsGroupLength && element is DicomValueElement)
            {
                // PS3.5 7.2: the group length counts the bytes after the group length element to the end of the group.
                groupSlot = ReserveLength();
                group = element.Tag.Group;
                groupStart = total;
            }
        }

        if (groupSlot >= 0)
        {
            lengths[groupSlot] = total - groupStart;
        }

        return total;
    }

    private long MeasureElement(DicomElement element, DicomDataset parent, bool topLevel)
    {
        switch (element)
        {
            case DicomValueElement value when value.Tag.IsGroupLength && options.GroupLength != DicomGroupLengthMode.Keep:
                return HeaderSize(DicomVR.UL) + 4;

            case DicomValueElement value:
                if (encapsulated && topLevel && value.Tag == DicomTag.PixelData && value.Length > 0)
                {
                    throw new NotSupportedException(
                        "Native pixel data cannot be written in an encapsulated transfer syntax without a codec (PS3.5 A.4).");
                }

                ResolveVR(value, parent, out _, out var headerVR);
                var padded = PaddedLength(value.Length);
                if (padded > MaxDefinedLength)
                {
                    throw new InvalidOperationException(
                        $"The value of {value.Tag} is longer than a DICOM length can express (PS3.5 7.1.1).");
                }

                return HeaderSize(headerVR) + padded;

            case DicomSequence sequence:
                return MeasureSequence(sequence);

            case DicomFragmentSequence fragments:
                return MeasureFragments(fragments);

            default:
                throw new InvalidOperationException($"{element.Tag}: unknown element type {element.GetType().Name}.");
        }
    }

    private long MeasureSequence(DicomSequence sequence)
    {
        var slot = ReserveLength();
        var undefined = IsUndefined(options.SequenceLength, sequence.HadUndefinedLength);
        long content = 0;
        foreach (var item in sequence.Items)
        {
            var itemSlot = ReserveLength();
            var itemUndefined = IsUndefined(options.ItemLength, item.HadUndefinedLength ?? sequence.HadUndefinedLength);
            var itemContent = MeasureElements(item, topLevel: false);
            if (itemContent > MaxDefinedLength)
            {
                itemUndefined = true;
            }

            lengths[itemSlot] = itemUndefined ? -1 : itemContent;
            content += 8 + itemContent + (itemUndefined ? 8 : 0);
        }

        if (content > MaxDefinedLength)
        {
            undefined = true;
        }

        lengths[slot] = undefined ? -1 : content;
        return HeaderSize(DicomVR.SQ) + content + (undefined ? 8 : 0);
    }

    private long MeasureFragments(DicomFragmentSequence fragments)
    {
        if (!encapsulated)
        {
            throw new NotSupportedException(
                $"Encapsulated (compressed) pixel data {fragments.Tag} cannot be written in a native transfer syntax: "
                + "that needs a codec, which this implementation does not have (PS3.5 A.4).");
        }

        // PS3.5 A.4: undefined-length OB, the Basic Offset Table item, one item per fragment, a sequence delimiter.
        long total = HeaderSize(DicomVR.OB) + 8 + PaddedLength(fragments.OffsetTable.Length) + 8;
        foreach (var fragment in fragments.Fragments)
        {
            total += 8 + PaddedLength(fragment.Length);
        }

        return total;
    }
}
