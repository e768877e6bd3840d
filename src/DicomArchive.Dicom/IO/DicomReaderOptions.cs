namespace DicomArchive.Dicom;

/// <summary>What a reader loads and what it refuses.</summary>
public sealed class DicomReaderOptions
{
    /// <summary>Reading stops before the first top-level element whose tag is at or after this one (e.g. PixelData to read a header).</summary>
    public DicomTag? StopBeforeTag { get; init; }

    /// <summary>
    /// Values (and fragments of encapsulated pixel data) longer than this are not loaded but kept as a
    /// <see cref="DicomBulkDataReference"/> into the source: sought over in a seekable source (the reference
    /// carries the path of a file opened by path), read past in any other (the reference then has no path, and
    /// its offset counts bytes of the stream as read). Default: everything is loaded.
    /// </summary>
    public long BulkDataThreshold { get; init; } = long.MaxValue;

    /// <summary>Sequences nested deeper than this are refused with a content error (a defence against hostile input).</summary>
    public int MaxSequenceDepth { get; init; } = 64;

    /// <summary>The largest value the reader will load into memory; larger ones are refused unless they go to bulk data.</summary>
    public long MaxValueLength { get; init; } = int.MaxValue - 64;

    public static DicomReaderOptions Default { get; } = new();

    /// <summary>
    /// Reads the File Meta Information only and stops before the first data set element; a seekable stream is left
    /// positioned there, so a caller can copy the data set bytes as they are (ingest, forwarding).
    /// </summary>
    public static DicomReaderOptions FileMetaInformationOnly { get; } = new() { StopBeforeTag = new DicomTag(0x0000, 0x0000) };
}
