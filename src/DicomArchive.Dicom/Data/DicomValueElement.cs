namespace DicomArchive.Dicom;

/// <summary>
/// An element whose value is a run of bytes: every VR other than SQ, and pixel data in native (not
/// encapsulated) form. The bytes are held as read, in little-endian order (big-endian values are swapped
/// once when read), and are only decoded when a typed getter of <see cref="DicomDataset"/> asks for them.
/// </summary>
public sealed class DicomValueElement : DicomElement
{
    /// <summary>Creates an element over value bytes in little-endian order.</summary>
    public DicomValueElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes)
        : base(tag, vr)
    {
        Bytes = bytes;
        Length = bytes.Length;
    }

    /// <summary>Creates an element whose value was left in its source.</summary>
    public DicomValueElement(DicomTag tag, DicomVR vr, DicomBulkDataReference bulkData)
        : base(tag, vr)
    {
        ArgumentNullException.ThrowIfNull(bulkData);
        BulkData = bulkData;
        Length = bulkData.Length;
    }

    /// <summary>The value bytes in little-endian order; empty when the value is a <see cref="BulkData"/> reference.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Where the value is when it was not loaded, else null.</summary>
    public DicomBulkDataReference? BulkData { get; }

    /// <summary>The value length in bytes.</summary>
    public long Length { get; }

    /// <summary>True when the value bytes are in memory.</summary>
    public bool IsLoaded => BulkData is null;
}
