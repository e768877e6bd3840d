using System.Runtime.InteropServices;

namespace DicomArchive.Storage.Files;

/// <summary>
/// Makes a rename durable. On Linux (POSIX) a rename is only on disk once the directory holding the new name is fsynced;
/// NTFS journals the rename itself, so Windows needs nothing.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;     // O_RDONLY
    private const int Directory = 0x10000; // O_DIRECTORY on Linux x64/arm64

    public static void Sync(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, ReadOnly | Directory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
