namespace DicomArchive.Storage.Files;

/// <summary>
/// The free space on the StorageRoot's volume for the per-store threshold check (0xA700 below
/// <see cref="ArchiveStorageOptions.MinimumFreeDiskBytes"/>), read from the file system at most every
/// <see cref="RecheckInterval"/> while it is at least twice the threshold, and on every store once it is closer.
/// </summary>
/// <remarks>
/// Reading it (DriveInfo, statvfs) for every C-STORE was one more system call and a few allocations per instance; a
/// volume more than the threshold above its threshold does not run out within half a second of this archive's writes
/// (it writes well under a gigabyte a second), and near the threshold every store still reads it.
/// Races between stores only cost an extra read.
/// </remarks>
internal sealed class FreeSpaceCheck(string folder, TimeProvider time, Func<string, long?> read)
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(500);

    private Reading? last;

    public FreeSpaceCheck(string folder)
        : this(folder, TimeProvider.System, DiskSpace.AvailableBytes)
    {
    }

    /// <summary>The bytes available on the volume, or null when unknown.</summary>
    public long? AvailableBytes(long threshold)
    {
        var now = time.GetTimestamp();
        if (Volatile.Read(ref last) is { } reading && reading.Available - threshold >= threshold
            && time.GetElapsedTime(reading.Timestamp, now) < RecheckInterval)
        {
            return reading.Available;
        }

        var available = read(folder);
        Volatile.Write(ref last, available is { } bytes ? new Reading(bytes, now) : null);
        return available;
    }

    private sealed record Reading(long Available, long Timestamp);
}
