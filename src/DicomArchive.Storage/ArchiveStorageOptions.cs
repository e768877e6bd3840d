namespace DicomArchive.Storage;

/// <summary>How the storage layer stores files and keeps the index (bound by the service from the "Archive" section).</summary>
public sealed class ArchiveStorageOptions
{
    /// <summary>The folder that holds the instance files (created when missing). Temporary files live in its ".tmp" folder.</summary>
    public string StorageRoot { get; set; } = "./data/storage";

    /// <summary>The SQLite index file (created and migrated when missing).</summary>
    public string IndexPath { get; set; } = "./data/index.sqlite";

    /// <summary>When files and index commits are forced to the disk before success is answered.</summary>
    public FsyncPolicy FsyncPolicy { get; set; } = FsyncPolicy.Always;

    /// <summary>What a store of an already stored SOP Instance UID does.</summary>
    public DuplicatePolicy DuplicatePolicy { get; set; } = DuplicatePolicy.KeepFirst;

    /// <summary>
    /// Below this many free bytes on the StorageRoot volume a store is refused with 0xA700 (Out of Resources) before
    /// anything is written; stores are accepted again as soon as space returns. 0 disables the check.
    /// </summary>
    public long MinimumFreeDiskBytes { get; set; } = 1L << 30;

    /// <summary>
    /// The Specific Character Set (0008,0005) assumed for data sets that have none. The standard says the default
    /// repertoire (ASCII) then applies, but many modalities omit the attribute and send Latin-1 names; "ISO_IR 100"
    /// decodes every ASCII value identically and gives those names their intended letters. Backslash-separated terms.
    /// </summary>
    public string DefaultCharacterSet { get; set; } = "ISO_IR 100";

    /// <summary>Accept SOP classes that are not storage SOP classes of the standard's registry (private or newer ones).</summary>
    public bool AcceptUnknownSopClasses { get; set; }

    /// <summary>The most stores grouped into one index transaction by the writer (group commit).</summary>
    public int MaxIndexBatchSize { get; set; } = 256;

    /// <summary>Every problem with these options, one line each naming the option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(StorageRoot))
        {
            errors.Add("StorageRoot: must name a folder.");
        }

        if (string.IsNullOrWhiteSpace(IndexPath))
        {
            errors.Add("IndexPath: must name a file.");
        }

        if (MinimumFreeDiskBytes < 0)
        {
            errors.Add("MinimumFreeDiskBytes: must be 0 (no check) or more.");
        }

        if (MaxIndexBatchSize < 1)
        {
            errors.Add("MaxIndexBatchSize: must be at least 1.");
        }

        if (!Enum.IsDefined(FsyncPolicy))
        {
            errors.Add($"FsyncPolicy: '{FsyncPolicy}' is not Always or Never.");
        }

        if (!Enum.IsDefined(DuplicatePolicy))
        {
            errors.Add($"DuplicatePolicy: '{DuplicatePolicy}' is not KeepFirst, Overwrite or Reject.");
        }

        if (!string.IsNullOrWhiteSpace(DefaultCharacterSet) &&
            (!Dicom.DicomCharacterSet.TryFromTerms(DefaultCharacterSet.Split('\\'), out var set) || set.UnknownTerms.Count > 0))
        {
            errors.Add($"DefaultCharacterSet: '{DefaultCharacterSet}' is not a Specific Character Set term of PS3.3 C.12.1.1.2 (e.g. ISO_IR 100).");
        }

        return errors;
    }
}

/// <summary>When data is forced to stable storage.</summary>
public enum FsyncPolicy
{
    /// <summary>
    /// Durable (default): each file is flushed to the disk (fsync) before it is moved to its final path, its directory
    /// is synced on Linux, and the index runs with synchronous=FULL, so success is answered only for data that survives
    /// a power cut. Concurrent stores share index syncs through group commit.
    /// </summary>
    Always,

    /// <summary>
    /// Leave flushing to the operating system (as DCMTK storescp and Orthanc do): faster, but a power cut can lose
    /// instances answered with success shortly before it. A process crash (kill -9) loses nothing.
    /// </summary>
    Never,
}

/// <summary>What a store of a SOP Instance UID that is already stored does (statuses per PS3.4 B.2.3 and PS3.7 C).</summary>
public enum DuplicatePolicy
{
    /// <summary>Keep the stored instance, discard the new copy and answer Success (0x0000). Default: a resend is not an error.</summary>
    KeepFirst,

    /// <summary>Replace the stored file atomically with the new copy and update its index row; answer Success (0x0000).</summary>
    Overwrite,

    /// <summary>Keep the stored instance and answer the failure 0x0111 (Duplicate SOP Instance, PS3.7 C.4) with an Error Comment.</summary>
    Reject,
}
