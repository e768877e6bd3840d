namespace DicomArchive.Dicom;

/// <summary>
/// A value that was not loaded: its place in the source it was read from. The reader leaves values above
/// its bulk-data threshold in the source so that a large object costs no memory until asked for.
/// </summary>
/// <param name="SourcePath">The file the value is in, or null when the source was a stream that cannot be reopened.</param>
/// <param name="Offset">The offset of the first value byte in the source (for deflated data: in the inflated stream).</param>
/// <param name="Length">The number of value bytes.</param>
/// <param name="IsBigEndian">True when the bytes in the source are big endian and must be swapped to be read.</param>
public sealed record DicomBulkDataReference(string? SourcePath, long Offset, long Length, bool IsBigEndian);
