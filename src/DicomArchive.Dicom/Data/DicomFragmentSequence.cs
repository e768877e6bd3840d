namespace DicomArchive.Dicom;

/// <summary>
/// Encapsulated pixel data (PS3.5 A.4): an undefined-length OB element holding a Basic Offset Table item
/// followed by one item per fragment of compressed data, kept exactly as received.
/// </summary>
public sealed class DicomFragmentSequence : DicomElement
{
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> offsetTable, IEnumerable<DicomFragment>? fragments = null)
        : base(tag, vr)
    {
        OffsetTable = offsetTable;
        Fragments = fragments is null ? [] : [.. fragments];
    }

    /// <summary>The value of the first item: the Basic Offset Table, empty when absent (PS3.5 A.4, Table A.4-1).</summary>
    public ReadOnlyMemory<byte> OffsetTable { get; }

    public List<DicomFragment> Fragments { get; }
}

/// <summary>One item of encapsulated pixel data: bytes in memory, or a reference into the source.</summary>
public sealed class DicomFragment
{
    public DicomFragment(ReadOnlyMemory<byte> bytes)
    {
        Bytes = bytes;
        Length = bytes.Length;
    }

    public DicomFragment(DicomBulkDataReference bulkData)
    {
        ArgumentNullException.ThrowIfNull(bulkData);
        BulkData = bulkData;
        Length = bulkData.Length;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public DicomBulkDataReference? BulkData { get; }

    public long Length { get; }
}
