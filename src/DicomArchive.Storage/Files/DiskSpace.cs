namespace DicomArchive.Storage.Files;

/// <summary>Free space on the volume of a folder.</summary>
internal static class DiskSpace
{
    /// <summary>The bytes available to this process on the volume holding <paramref name="folder"/>, or null when unknown.</summary>
    public static long? AvailableBytes(string folder)
    {
        try
        {
            // DriveInfo accepts any path on the volume (Linux resolves the mount point holding it).
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
