using System.Buffers.Binary;
using System.IO.Compression;
using DicomArchive.Dicom;

namespace DicomArchive.Storage.Header;

/// <summary>
/// Walks a received data set from its first element up to (not including) Pixel Data, checking its structure
/// (PS3.5 7.1, 7.5) and keeping the top-level elements the index needs. Values it does not keep are skipped, by
/// seeking when the source allows it, so a header read costs the same for a 2 KB and a 2 GB instance.
/// </summary>
/// <remarks>
/// Any malformed or truncated input ends in a <see cref="DicomContentException"/> naming the offset; nothing else
/// escapes for bad bytes (I/O errors of the disk still surface as <see cref="IOException"/>).
/// </remarks>
internal static class InstanceHeaderReader
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private const int MaxDepth = 32;

    // The longest value kept: every indexed attribute is far shorter (PS3.5 6.2: LO 64 chars, PN 3x64 per value).
    private const int MaxKeptValueLength = 16 * 1024;

    /// <summary>Reads the data set that starts at <paramref name="datasetOffset"/> in <paramref name="stream"/>.</summary>
    /// <exception cref="DicomContentException">The data set is malformed or truncated.</exception>
    public static DicomDataset Read(Stream stream, long datasetOffset, TransferSyntax syntax, IReadOnlySet<uint> keep)
    {
        var dataset = new DicomDataset();
        stream.Seek(datasetOffset, SeekOrigin.Begin);
        if (syntax.IsDeflated)
        {
            // PS3.5 A.5: everything after the meta header is a raw deflate stream of an explicit VR LE data set.
            using var inflater = new DeflateStream(stream, CompressionMode.Decompress, leaveOpen: true);
            using var deflated = new HeaderSource(inflater, 0);
            Walk(deflated, syntax, dataset, keep);
        }
        else
        {
            using var source = new HeaderSource(stream, datasetOffset);
            Walk(source, syntax, dataset, keep);
        }

        return dataset;
    }

    private static void Walk(HeaderSource source, TransferSyntax syntax, DicomDataset dataset, IReadOnlySet<uint> keep)
    {
        try
        {
            var state = new WalkState(source, keep, dataset);
            ReadDataset(ref state, syntax.IsExplicitVR, !syntax.IsLittleEndian, depth: 0, end: -1);
        }
        catch (InvalidDataException ex)
        {
            throw new DicomContentException("The deflated data set cannot be inflated", source.Position, ex);
        }
    }

    /// <summary>
    /// Reads elements until <paramref name="end"/> (a defined-length item), an Item Delimitation Item (an undefined-length
    /// item, depth &gt; 0) or the end of the source / Pixel Data (the top level).
    /// </summary>
    private static void ReadDataset(ref WalkState state, bool explicitVR, bool bigEndian, int depth, long end)
    {
        var source = state.Source;
        Span<byte> header = stackalloc byte[8];
        while (true)
        {
            if (end >= 0 && source.Position >= end)
            {
                if (source.Position > end)
                {
                    throw new DicomContentException("An element runs past the end of its item", source.Position);
                }

                return;
            }

            var elementOffset = source.Position;
            if (depth == 0 && source.AtEnd)
            {
                return;
            }

            if (!source.TryRead(header[..4]))
            {
                throw Truncated(source);
            }

            var tag = ReadTag(header, bigEndian);
            if (tag.Group == 0xFFFE)
            {
                if (tag == DicomTag.ItemDelimitationItem && depth > 0 && end < 0)
                {
                    // PS3.5 7.5.2: the item ends; its 4-byte length is zero.
                    ReadLength32(source, header, bigEndian);
                    return;
                }

                throw new DicomContentException($"Unexpected delimiter {tag} in a data set", elementOffset);
            }

            if (depth == 0 && tag.Value >= DicomTag.PixelData.Value)
            {
                // The header ends here: Pixel Data and anything after it (trailing padding, signatures) are not read.
                return;
            }

            DicomVR vr;
            uint length;
            if (explicitVR)
            {
                if (!source.TryRead(header[..4]))
                {
                    throw Truncated(source);
                }

                if (!DicomVRInfo.TryParse(header[0], header[1], out vr))
                {
                    throw new DicomContentException($"Invalid VR for {tag}", elementOffset + 4);
                }

                if (DicomVRInfo.HasLongExplicitLength(vr))
                {
                    // PS3.5 7.1.2: two reserved bytes, then a 32-bit length.
                    length = ReadLength32(source, header, bigEndian);
                }
                else
                {
                    length = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(header[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
                }
            }
            else
            {
                // PS3.5 7.1.3: implicit VR, the VR comes from the dictionary.
                length = ReadLength32(source, header, bigEndian);
                vr = length == UndefinedLength || (depth == 0 && state.Keep.Contains(tag.Value)) ? DicomDictionary.GetVR(tag) : DicomVR.None;
            }

            if (length == UndefinedLength)
            {
                ReadUndefinedLengthValue(ref state, tag, vr, explicitVR, bigEndian, depth, elementOffset);
                continue;
            }

            if (end >= 0 && source.Position + length > end)
            {
                throw new DicomContentException($"The length of {tag} runs past the end of its item", elementOffset);
            }

            if (depth == 0 && state.Keep.Contains(tag.Value) && vr != DicomVR.SQ && length <= MaxKeptValueLength)
            {
                var value = new byte[length];
                if (!source.TryRead(value))
                {
                    throw Truncated(source);
                }

                state.Dataset.Add(new DicomValueElement(tag, vr == DicomVR.None ? DicomVR.UN : vr, value));
            }
            else if (!source.TrySkip(length))
            {
                throw Truncated(source);
            }
        }
    }

    private static void ReadUndefinedLengthValue(
        ref WalkState state, DicomTag tag, DicomVR vr, bool explicitVR, bool bigEndian, int depth, long elementOffset)
    {
        if (depth >= MaxDepth)
        {
            throw new DicomContentException($"Sequences nested deeper than {MaxDepth}", elementOffset);
        }

        switch (vr)
        {
            case DicomVR.SQ:
                ReadItems(ref state, explicitVR, bigEndian, depth, dataItems: true);
                break;
            case DicomVR.UN or DicomVR.None:
                // PS3.5 6.2.2: an undefined-length UN is a sequence encoded in implicit VR little endian.
                ReadItems(ref state, explicitVR: false, bigEndian: false, depth, dataItems: true);
                break;
            case DicomVR.OB or DicomVR.OW:
                // PS3.5 A.4: encapsulated fragments, each an item of defined length.
                ReadItems(ref state, explicitVR, bigEndian, depth, dataItems: false);
                break;
            default:
                throw new DicomContentException($"Undefined length for {tag} with VR {DicomVRInfo.Name(vr)}", elementOffset);
        }
    }

    /// <summary>Reads items up to the Sequence Delimitation Item (PS3.5 7.5.1, 7.5.2).</summary>
    private static void ReadItems(ref WalkState state, bool explicitVR, bool bigEndian, int depth, bool dataItems)
    {
        var source = state.Source;
        Span<byte> header = stackalloc byte[8];
        while (true)
        {
            var itemOffset = source.Position;
            if (!source.TryRead(header))
            {
                throw Truncated(source);
            }

            var tag = ReadTag(header, bigEndian);
            var length = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            if (tag == DicomTag.SequenceDelimitationItem)
            {
                return;
            }

            if (tag != DicomTag.Item)
            {
                throw new DicomContentException($"Expected an item in a sequence, found {tag}", itemOffset);
            }

            if (length == UndefinedLength)
            {
                if (!dataItems)
                {
                    throw new DicomContentException("A pixel data fragment has undefined length", itemOffset);
                }

                ReadDataset(ref state, explicitVR, bigEndian, depth + 1, end: -1);
            }
            else if (dataItems)
            {
                ReadDataset(ref state, explicitVR, bigEndian, depth + 1, end: source.Position + length);
            }
            else if (!source.TrySkip(length))
            {
                throw Truncated(source);
            }
        }
    }

    private static DicomTag ReadTag(ReadOnlySpan<byte> header, bool bigEndian) => bigEndian
        ? new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(header), BinaryPrimitives.ReadUInt16BigEndian(header[2..]))
        : new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(header), BinaryPrimitives.ReadUInt16LittleEndian(header[2..]));

    private static uint ReadLength32(HeaderSource source, Span<byte> scratch, bool bigEndian)
    {
        if (!source.TryRead(scratch[4..8]))
        {
            throw Truncated(source);
        }

        return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(scratch[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(scratch[4..]);
    }

    private static DicomContentException Truncated(HeaderSource source) => new("The data set ends in the middle of an element", source.Position);

    private ref struct WalkState(HeaderSource source, IReadOnlySet<uint> keep, DicomDataset dataset)
    {
        public HeaderSource Source { get; } = source;

        public IReadOnlySet<uint> Keep { get; } = keep;

        public DicomDataset Dataset { get; } = dataset;
    }
}
