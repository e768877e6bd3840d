using DicomArchive.Dicom;
using DicomArchive.Storage.Files;
using DicomArchive.Storage.Header;
using DicomArchive.Storage.Index;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace DicomArchive.Storage;

public sealed partial class InstanceStore
{
    /// <summary>
    /// The commit protocol (ARCHITECTURE.md, C-STORE): durable temp file -> header check -> atomic move -> index row ->
    /// success. A crash before the move leaves only a temp file (deleted at start-up, or by <see cref="RecoverAsync"/>
    /// for one beside its final path); after the move and before the index commit, a complete file without a row
    /// (indexed by <see cref="RecoverAsync"/>); success is never answered before both are durable.
    /// </summary>
    /// <remarks>
    /// An instance that fitted in memory is checked (header, duplicates) before anything is written, then written to a
    /// temp file in its series folder and renamed within that folder: a refused or duplicate instance writes nothing,
    /// and no rename crosses folders (which locks both directories and the file system's rename lock) nor do all
    /// associations create their files in one shared folder (docs/performance.md, fourth pass). A large instance was
    /// streamed to .tmp before its final path was known and moves from there.
    /// </remarks>
    internal async Task<StoreResult> CommitAsync(IncomingInstance incoming, CancellationToken ct)
    {
        var context = incoming.Context;
        var moved = false;
        var replacesStoredCopy = false;
        string? finalPath = null;
        string? tempPath = null;
        try
        {
            // 1. The bytes: a small instance is still in memory (written at step 3); a large one is in its temp file,
            //    made durable here (fsync, FileStream.Flush(true)) before the rename, else a power cut could leave a
            //    renamed but empty file. Its header is then read back from the same handle (the OS cache serves it).
            FileStream? file = null;
            if (!incoming.TryFinishInMemory(out var bytes, out var contentHash))
            {
                tempPath = incoming.TempPath;
                (file, contentHash) = incoming.FinishFile();
                file.Flush(flushToDisk: options.FsyncPolicy == FsyncPolicy.Always);
            }

            var size = incoming.Length;
            var (checkedRecord, failure) = await CheckHeaderAsync(incoming, file, size, contentHash, ct).ConfigureAwait(false);
            incoming.CloseFile();
            if (checkedRecord is null)
            {
                DeleteTempIfAny(tempPath);
                StorageLog.StoreRefused(logger, context.SopInstanceUid, context.CallingAe, failure!.Status, failure.ErrorComment ?? "");
                return failure;
            }

            var record = checkedRecord;
            var stripe = LockFor(record.SopInstanceUid);
            await stripe.WaitAsync(ct).ConfigureAwait(false);
            var inCommitPhase = false;
            try
            {
                // Only quick work is left before the row is queued (write a small file, rename it): the next group
                // commit waits for it (IndexWriter.EnterCommitPhase). Entered only once the UID's lock is held, since
                // a store counted there must not wait for another store.
                if (file is null)
                {
                    writer.EnterCommitPhase();
                    inCommitPhase = true;
                }

                // 2. Duplicates (serialised per UID by the stripe lock).
                var existingPath = lookup.FindFilePath(record.SopInstanceUid);
                var storedCopyExists = existingPath is not null && File.Exists(layout.FullPath(existingPath));
                if (storedCopyExists && options.DuplicatePolicy != DuplicatePolicy.Overwrite)
                {
                    DeleteTempIfAny(tempPath);
                    if (options.DuplicatePolicy == DuplicatePolicy.KeepFirst)
                    {
                        StorageLog.Duplicate(logger, record.SopInstanceUid, context.CallingAe, "kept the stored copy");
                        return new StoreResult(StoreStatus.Success, null, existingPath, IsDuplicate: true);
                    }

                    StorageLog.Duplicate(logger, record.SopInstanceUid, context.CallingAe, "refused");
                    return StoreResult.Failure(StoreStatus.DuplicateSopInstance, "Duplicate SOP Instance UID") with { IsDuplicate = true };
                }

                // An index row whose file has gone (deleted by hand) is replaced whatever the policy: the new copy heals it.

                // 3. Atomic move to the final path (rename on the same volume; replaces an orphan or, under Overwrite,
                //    the stored copy). On Windows a file open elsewhere (a retrieval in progress) cannot be replaced:
                //    the move fails and the store answers 0xA700; the sender may retry.
                finalPath = layout.FullPath(record.FilePath);
                var directory = Path.GetDirectoryName(finalPath)!;
                replacesStoredCopy = existingPath is not null && string.Equals(existingPath, record.FilePath, StringComparison.Ordinal);
                string? createdFrom;
                if (file is null)
                {
                    tempPath = StorageLayout.NewTempPathIn(directory);
                    createdFrom = WriteTempFile(tempPath, directory, bytes.Span);
                }
                else
                {
                    createdFrom = CreateDirectories(directory);
                }

                File.Move(tempPath!, finalPath, overwrite: true);
                moved = true;
                List<string>? directoriesToSync = null;
                if (options.FsyncPolicy == FsyncPolicy.Always)
                {
                    // POSIX: the rename is durable once the directory is synced, and new directories once their parents are.
                    // The index writer syncs them before the row's transaction commits, each distinct directory once
                    // per group commit (concurrent stores into one series share the sync).
                    directoriesToSync = [directory];
                    for (var dir = directory; createdFrom is not null && !PathEquals(dir, createdFrom); dir = Path.GetDirectoryName(dir)!)
                    {
                        directoriesToSync.Add(Path.GetDirectoryName(dir)!);
                    }
                }

                // 4. Index (group commit); success only after the directories are synced and the row is committed.
                lookup.Remember(record.SopInstanceUid);
                inCommitPhase = false;
                var outcome = await writer.WriteInstanceAsync(
                    record, replace: existingPath is not null, directoriesToSync, ct, leavesCommitPhase: file is null).ConfigureAwait(false);
                if (outcome.ReplacedPath is { } oldPath && !string.Equals(oldPath, record.FilePath, StringComparison.Ordinal))
                {
                    DeleteTemp(layout.FullPath(oldPath));
                }

                if (existingPath is not null)
                {
                    StorageLog.Duplicate(logger, record.SopInstanceUid, context.CallingAe, "overwrote the stored copy");
                }

                StorageLog.Stored(logger, record.SopInstanceUid, context.CallingAe, record.FilePath, size);
                return new StoreResult(StoreStatus.Success, null, record.FilePath, IsDuplicate: existingPath is not null);
            }
            finally
            {
                if (inCommitPhase)
                {
                    writer.LeaveCommitPhase();
                }

                stripe.Release();
            }
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the caller gets a status to answer and nothing is left behind (PS3.4 B.2.3);
            // the file handle is closed first so the delete also succeeds on Windows.
            StorageLog.StoreFailed(logger, ex, context.SopInstanceUid, context.CallingAe);
            incoming.CloseFile();
            if (!moved)
            {
                DeleteTempIfAny(tempPath);
            }
            else if (finalPath is not null && !replacesStoredCopy)
            {
                // The file reached its final path but its row did not commit: remove it, so a failure leaves nothing.
                // Under Overwrite the stored copy was already replaced in place and is kept (deleting it would lose
                // the instance); its row still has the old hash until the sender retries (see docs/storage-layout.md).
                DeleteTemp(finalPath);
            }

            return ex switch
            {
                OperationCanceledException => StoreResult.Failure(StoreStatus.ProcessingFailure, "Store cancelled"),
                IOException or UnauthorizedAccessException or SqliteException =>
                    StoreResult.Failure(StoreStatus.OutOfResources, "Cannot store: " + ex.Message),
                _ => StoreResult.Failure(StoreStatus.ProcessingFailure, "Processing failure: " + ex.Message),
            };
        }
    }

    /// <summary>
    /// Writes a small instance's bytes to its temp file in <paramref name="directory"/> in one write, durable per the
    /// fsync policy, and closes it (closed before the rename: Windows cannot rename an open file). Unbuffered: the
    /// bytes are already one block. Returns the topmost folder that existed when missing ones had to be created, else null.
    /// </summary>
    /// <remarks>
    /// The folder is created only when the create fails for want of it (the first instance of a series): a test for it
    /// before every store was one more system call per instance.
    /// </remarks>
    private string? WriteTempFile(string path, string directory, ReadOnlySpan<byte> bytes)
    {
        string? createdFrom = null;
        SafeFileHandle handle;
        try
        {
            handle = CreateNew(path);
        }
        catch (IOException ex) when (ex is DirectoryNotFoundException or FileNotFoundException)
        {
            createdFrom = CreateDirectories(directory);
            handle = CreateNew(path);
        }

        // A handle and one positioned write: no FileStream (and its buffers and state) per store.
        using (handle)
        {
            RandomAccess.Write(handle, bytes, fileOffset: 0);
            if (options.FsyncPolicy == FsyncPolicy.Always)
            {
                RandomAccess.FlushToDisk(handle);
            }
        }

        return createdFrom;

        static SafeFileHandle CreateNew(string path) =>
            File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None);
    }

    private void DeleteTempIfAny(string? path)
    {
        if (path is not null)
        {
            DeleteTemp(path);
        }
    }

    /// <summary>Reads and checks the received header; null with a failure status when it is not acceptable.</summary>
    private async Task<(InstanceRecord? Record, StoreResult? Failure)> CheckHeaderAsync(
        IncomingInstance incoming, FileStream? file, long size, string contentHash, CancellationToken ct)
    {
        var context = incoming.Context;
        if (size <= incoming.DatasetOffset)
        {
            return (null, StoreResult.Failure(StoreStatus.CannotUnderstand, "Empty data set"));
        }

        DicomDataset header;
        try
        {
            // A small instance was kept in memory as it was written (same bytes as the file, whose length is checked).
            var inMemory = incoming.WholeFileInMemory;
            header = inMemory.Length == size || file is null
                ? StoredFileReader.ReadHeader(inMemory).Dataset
                : (await StoredFileReader.ReadHeaderAsync(file, ct).ConfigureAwait(false)).Dataset;
        }
        catch (DicomContentException ex)
        {
            // PS3.4 B.2.3: Cannot understand (Cxxx), with the reason as Error Comment.
            return (null, StoreResult.Failure(StoreStatus.CannotUnderstand, "Unreadable data set: " + (ex.Reason ?? ex.Message)));
        }

        StoreResult? failure = null;

        var record = IndexedAttributes.ToRecord(header, defaultCharacterSet, new FileFacts(
            "", size, context.TransferSyntaxUid, contentHash, context.CallingAe, context.CalledAe, context.RemoteAddress, DateTimeOffset.UtcNow));

        // PS3.4 B.2.3 A9xx: the data set must be the instance the command announced.
        if (record.SopInstanceUid.Length == 0)
        {
            failure = StoreResult.Failure(StoreStatus.DatasetDoesNotMatchSopClass, "Missing SOP Instance UID (0008,0018)");
        }
        else if (!string.Equals(record.SopInstanceUid, context.SopInstanceUid, StringComparison.Ordinal))
        {
            failure = StoreResult.Failure(StoreStatus.DatasetDoesNotMatchSopClass, "SOP Instance UID differs from the command");
        }
        else if (!string.Equals(record.SopClassUid, context.SopClassUid, StringComparison.Ordinal))
        {
            failure = StoreResult.Failure(StoreStatus.DatasetDoesNotMatchSopClass, "SOP Class UID differs from the command");
        }
        else if (record.StudyInstanceUid.Length == 0)
        {
            failure = StoreResult.Failure(StoreStatus.DatasetDoesNotMatchSopClass, "Missing Study Instance UID (0020,000D)");
        }
        else if (record.SeriesInstanceUid.Length == 0)
        {
            failure = StoreResult.Failure(StoreStatus.DatasetDoesNotMatchSopClass, "Missing Series Instance UID (0020,000E)");
        }

        if (failure is not null)
        {
            return (null, failure);
        }

        return (record with
        {
            FilePath = StorageLayout.RelativePath(record.StudyInstanceUid, record.SeriesInstanceUid, record.SopInstanceUid),
        }, null);
    }

    /// <summary>Creates a directory and its missing parents; returns the topmost one that existed before, or null if none was created.</summary>
    private static string? CreateDirectories(string directory)
    {
        if (Directory.Exists(directory))
        {
            return null;
        }

        var existing = directory;
        while (!Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing)!;
        }

        Directory.CreateDirectory(directory);
        return existing;
    }

    private static bool PathEquals(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
