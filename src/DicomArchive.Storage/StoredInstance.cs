namespace DicomArchive.Storage;

/// <summary>A stored instance as retrieval needs it (C-MOVE / C-GET).</summary>
public sealed class StoredInstance
{
    public string StudyInstanceUid { get; init; } = "";

    public string SeriesInstanceUid { get; init; } = "";

    public string SopInstanceUid { get; init; } = "";

    public string SopClassUid { get; init; } = "";

    public string TransferSyntaxUid { get; init; } = "";

    /// <summary>Relative to the StorageRoot, '/'-separated.</summary>
    public string RelativePath { get; init; } = "";

    /// <summary>The full path of the file.</summary>
    public string FullPath { get; set; } = "";

    public long FileSize { get; init; }

    /// <summary>Content hash of the whole file: "blake3:" + hex, or bare SHA-256 hex in rows from before schema 4 (Files/ContentHash.cs).</summary>
    public string ContentHash { get; init; } = "";
}
