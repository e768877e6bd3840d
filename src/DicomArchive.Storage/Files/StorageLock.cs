namespace DicomArchive.Storage.Files;

/// <summary>
/// One process at a time owns a storage folder: start-up deletes temporary files and the index has one writer, so a
/// second process (a maintenance verb while the service runs, a second service) would destroy stores in flight.
/// The lock is a file opened without sharing: NTFS enforces that, and .NET takes an advisory exclusive lock on Unix.
/// The file also says whether its last owner closed the store cleanly (<see cref="TakeOver"/>, <see cref="MarkClean"/>).
/// </summary>
internal static class StorageLock
{
    public const string FileName = ".lock";

    private const string CleanMark = "closed-cleanly";
    private const string OpenMark = "open";

    /// <summary>
    /// Reads whether the previous owner closed cleanly, then marks the store open (durably, before any store): a
    /// crash from now on leaves "open", and the next start knows it must look for files without an index row.
    /// </summary>
    public static bool TakeOver(FileStream lockFile)
    {
        ArgumentNullException.ThrowIfNull(lockFile);
        Span<byte> content = stackalloc byte[32];
        lockFile.Position = 0;
        var read = lockFile.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
        var clean = content[..read].SequenceEqual(System.Text.Encoding.ASCII.GetBytes(CleanMark));
        Write(lockFile, OpenMark);
        return clean;
    }

    /// <summary>Marks a clean close: every store answered has its file and row, and nothing is in flight.</summary>
    public static void MarkClean(FileStream lockFile) => Write(lockFile, CleanMark);

    private static void Write(FileStream lockFile, string mark)
    {
        lockFile.Position = 0;
        lockFile.Write(System.Text.Encoding.ASCII.GetBytes(mark));
        lockFile.SetLength(mark.Length);
        lockFile.Flush(flushToDisk: true);
    }

    /// <exception cref="StorageInUseException">Another process has the storage folder open.</exception>
    public static FileStream Acquire(string root)
    {
        var path = Path.Combine(root, FileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex)
        {
            throw new StorageInUseException(
                $"The storage folder {root} is in use by another DicomArchive process (stop the service before running maintenance verbs)", ex);
        }
    }
}
