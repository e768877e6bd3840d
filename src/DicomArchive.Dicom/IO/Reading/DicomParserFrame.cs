namespace DicomArchive.Dicom;

/// <summary>What the parser is inside of: a data set (the top level or an item), a sequence, or encapsulated fragments.</summary>
internal enum DicomParserFrameKind
{
    Dataset,
    Sequence,
    Fragments,
}

/// <summary>
/// One level of nesting of the parser (PS3.5 7.5): the parser keeps a stack of these instead of recursing, so
/// the whole read is one loop that only leaves synchronous code when it must wait for bytes.
/// </summary>
internal sealed class DicomParserFrame
{
    public DicomParserFrameKind Kind { get; init; }

    /// <summary>The data set being filled (<see cref="DicomParserFrameKind.Dataset"/>); for the other kinds, the one that holds the element.</summary>
    public required DicomDataset Dataset { get; init; }

    /// <summary>The sequence whose items are being read (<see cref="DicomParserFrameKind.Sequence"/>).</summary>
    public DicomSequence? Sequence { get; init; }

    /// <summary>The fragments element, created at its first item, the Basic Offset Table (PS3.5 A.4).</summary>
    public DicomFragmentSequence? Fragments { get; set; }

    public DicomTag Tag { get; init; }

    public DicomVR VR { get; init; }

    /// <summary>The absolute offset where a defined length ends, or -1 for an undefined length (ends at a delimiter).</summary>
    public long End { get; set; } = -1;

    /// <summary>The nearest defined end of this frame or an enclosing one, or -1: no length may reach past it.</summary>
    public long Limit => End >= 0 ? End : ParentLimit;

    /// <summary>The <see cref="Limit"/> of the enclosing frame.</summary>
    public long ParentLimit { get; init; } = -1;

    public bool ExplicitVR { get; init; }

    public bool LittleEndian { get; init; }

    /// <summary>The number of sequences this frame is inside (or is, for a sequence frame).</summary>
    public int Depth { get; init; }

    public bool IsTopLevel => Depth == 0 && Kind == DicomParserFrameKind.Dataset;
}
