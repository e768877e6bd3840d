using System.Runtime.InteropServices;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>Flushes every file system's dirty data and metadata (sync(2)); nothing to do off Linux (NTFS has no such trap).</summary>
internal static partial class FileSystemSync
{
    public static void SyncAll()
    {
        if (OperatingSystem.IsLinux())
        {
            Sync();
        }
    }

    [LibraryImport("libc", EntryPoint = "sync")]
    private static partial void Sync();
}
