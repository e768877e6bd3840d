namespace DicomArchive.Storage;

/// <summary>The result of <see cref="InstanceStore.RecoverAsync"/>, <see cref="InstanceStore.ReindexAsync"/> or <see cref="InstanceStore.VerifyAsync"/>.</summary>
public sealed class StorageReport
{
    private readonly List<StorageProblem> problems = [];

    /// <summary>Every problem found, one per file.</summary>
    public IReadOnlyList<StorageProblem> Problems => problems;

    /// <summary>Files found under the StorageRoot.</summary>
    public int FilesScanned { get; internal set; }

    /// <summary>Index rows checked against their files (verify).</summary>
    public int InstancesChecked { get; internal set; }

    /// <summary>Files given an index row (recover, reindex).</summary>
    public int InstancesIndexed { get; internal set; }

    public bool IsHealthy => problems.Count == 0;

    internal void Add(StorageProblem problem)
    {
        lock (problems)
        {
            problems.Add(problem);
        }
    }
}

/// <summary>One thing wrong with one file.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Detail">Details for the operator.</param>
public sealed record StorageProblem(string Path, StorageProblemKind Kind, string Detail)
{
    public override string ToString() => $"{Kind}: {Path}: {Detail}";
}

public enum StorageProblemKind
{
    /// <summary>An index row names a file that does not exist.</summary>
    MissingFile,

    /// <summary>The file's size differs from the index.</summary>
    SizeMismatch,

    /// <summary>The file's content hash differs from the index (the file was changed or corrupted).</summary>
    HashMismatch,

    /// <summary>A file under the StorageRoot has no index row.</summary>
    UnindexedFile,

    /// <summary>A file cannot be read as a stored instance (not Part 10, malformed header, missing UIDs).</summary>
    UnreadableFile,

    /// <summary>A file holds a SOP Instance UID that is already indexed for another file.</summary>
    DuplicateInstance,
}
