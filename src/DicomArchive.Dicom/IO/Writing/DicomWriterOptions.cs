using System.IO.Compression;

namespace DicomArchive.Dicom;

/// <summary>How the length of a sequence or an item is encoded (PS3.5 7.5.1).</summary>
public enum DicomLengthForm
{
    /// <summary>
    /// The form the element was read with (<see cref="DicomSequence.HadUndefinedLength"/>,
    /// <see cref="DicomDataset.HadUndefinedLength"/>); an item whose form is unknown follows its sequence.
    /// </summary>
    AsRead,

    /// <summary>Undefined length (FFFFFFFFH) closed by a delimitation item: (FFFE,E0DD) or (FFFE,E00D).</summary>
    Undefined,

    /// <summary>An explicit length, computed from the encoded content.</summary>
    Defined,
}

/// <summary>What the writer does with group length elements (gggg,0000) (PS3.5 7.2).</summary>
public enum DicomGroupLengthMode
{
    /// <summary>Writes the group length elements the data set holds, with values computed from what is written.</summary>
    Recalculate,

    /// <summary>Writes the group length elements with the values they hold, right or wrong.</summary>
    Keep,

    /// <summary>
    /// Leaves out the group length elements, which are retired outside groups 0000 and 0002 (PS3.5 7.2); the command
    /// group length (0000,0000) is required by PS3.7 6.3.1 and is kept and recalculated.
    /// </summary>
    RemoveRetired,
}

/// <summary>Choices a writer makes where the standard allows more than one encoding.</summary>
public sealed class DicomWriterOptions
{
    /// <summary>
    /// The length form of sequences. The default keeps the form read, so that a well-formed data set read and written
    /// again in its own transfer syntax gives the same bytes.
    /// </summary>
    public DicomLengthForm SequenceLength { get; init; } = DicomLengthForm.AsRead;

    /// <summary>The length form of sequence items; see <see cref="SequenceLength"/>.</summary>
    public DicomLengthForm ItemLength { get; init; } = DicomLengthForm.AsRead;

    /// <summary>What to do with group length elements; (0002,0000) in a file is always written and computed.</summary>
    public DicomGroupLengthMode GroupLength { get; init; } = DicomGroupLengthMode.Recalculate;

    /// <summary>
    /// In an explicit VR syntax, writes an element held with VR UN with its VR from the data dictionary when the
    /// dictionary knows it (PS3.5 6.2.2), so that a receiver gets the real VR. Values the dictionary calls SQ stay UN
    /// (their bytes are an implicit VR sequence). UN values are held as read, so one read as UN from an explicit VR
    /// big endian source (rare: that syntax is retired) would get the wrong byte order; turn this off for such data.
    /// </summary>
    public bool ResolveUnknownVR { get; init; } = true;

    /// <summary>The compression level of Deflated Explicit VR Little Endian (PS3.5 A.5).</summary>
    public CompressionLevel DeflateLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>The options used when none are given.</summary>
    public static DicomWriterOptions Default { get; } = new();
}
