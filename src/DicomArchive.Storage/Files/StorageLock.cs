namespace DicomArchive.Storage.Files;

/// <summary>
/// One process at a time owns a storage folder: start-up deletes temporary files and the index has one writer, so a
/// second process (a maintenance verb while the service runs, a second service) would destroy stores in flight.
/// The lock is a file opened without sharing: NTFS enforces that, and .NET takes an advisory exclusive lock on Unix.
/// </summary>
internal static class StorageLock
{
    public const string FileName = ".lock";

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
