using DicomArchive.Dicom;
using DicomArchive.Storage.Files;
using DicomArchive.Storage.Header;
using DicomArchive.Storage.Index;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage;

public sealed partial class InstanceStore
{
    private const int PathBatchSize = 500;

    /// <summary>
    /// Start-up recovery: indexes every stored file that has no index row (a crash between the final move and the
    /// index commit leaves such a file; its store was never answered, but the data is complete and is kept), and
    /// deletes temp files (*.part) that a crash left beside final paths (their stores were never answered either).
    /// Run it before stores start (the service does, before it listens): a store in progress would lose its temp file
    /// and answer 0xA700.
    /// </summary>
    public async Task<StorageReport> RecoverAsync(CancellationToken ct = default)
    {
        var report = new StorageReport();
        var unindexed = new List<string>();
        var strayTempFiles = new List<string>();
        foreach (var batch in StoredFileBatches(report, ct, strayTempFiles))
        {
            var indexed = reader.IndexedPaths(batch.ConvertAll(layout.ToRelative));
            unindexed.AddRange(batch.FindAll(path => !indexed.Contains(layout.ToRelative(path))));
        }

        foreach (var path in strayTempFiles)
        {
            DeleteTemp(path);
        }

        if (strayTempFiles.Count > 0)
        {
            StorageLog.TempFilesRemoved(logger, strayTempFiles.Count, layout.Root);
        }

        await IndexFilesAsync(unindexed, report, logEach: true, ct).ConfigureAwait(false);
        Volatile.Write(ref recovered, true);
        return report;
    }

    /// <summary>
    /// Rebuilds the index from the files: every row is removed, then every file under the StorageRoot is read and
    /// indexed. Run it with no stores in progress (the <c>reindex</c> verb stops nothing else).
    /// </summary>
    public async Task<StorageReport> ReindexAsync(CancellationToken ct = default)
    {
        await writer.ExecuteAsync(static connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM instances; DELETE FROM series; DELETE FROM studies; DELETE FROM patients;";
            command.ExecuteNonQuery();
        }, ct).ConfigureAwait(false);

        var report = new StorageReport();
        var all = new List<string>();
        foreach (var batch in StoredFileBatches(report, ct))
        {
            all.AddRange(batch);
        }

        await IndexFilesAsync(all, report, logEach: false, ct).ConfigureAwait(false);
        Volatile.Write(ref recovered, true);
        return report;
    }

    /// <summary>
    /// Checks the index against the files: every indexed file exists with its size and content hash, and every file under
    /// the StorageRoot is indexed. Each problem names its file. Reads every byte of the archive.
    /// </summary>
    public async Task<StorageReport> VerifyAsync(CancellationToken ct = default)
    {
        var report = new StorageReport();
        await Task.Run(() =>
        {
            foreach (var row in reader.AllInstances())
            {
                ct.ThrowIfCancellationRequested();
                report.InstancesChecked++;
                var path = layout.FullPath(row.RelativePath);
                var info = new FileInfo(path);
                if (!info.Exists)
                {
                    report.Add(new StorageProblem(path, StorageProblemKind.MissingFile, $"indexed as {row.SopInstanceUid} but missing"));
                }
                else if (info.Length != row.FileSize)
                {
                    report.Add(new StorageProblem(path, StorageProblemKind.SizeMismatch, $"{info.Length} bytes, indexed as {row.FileSize}"));
                }
                else if (HashFile(path, row.ContentHash) is var actual && !string.Equals(actual, row.ContentHash, StringComparison.Ordinal))
                {
                    report.Add(new StorageProblem(path, StorageProblemKind.HashMismatch,
                        $"{ContentHash.AlgorithmOf(row.ContentHash)} {actual}, indexed as {row.ContentHash}"));
                }
            }

            foreach (var batch in StoredFileBatches(report, ct))
            {
                var indexed = reader.IndexedPaths(batch.ConvertAll(layout.ToRelative));
                foreach (var path in batch)
                {
                    if (!indexed.Contains(layout.ToRelative(path)))
                    {
                        report.Add(new StorageProblem(path, StorageProblemKind.UnindexedFile, "no index row"));
                    }
                }
            }
        }, ct).ConfigureAwait(false);
        return report;
    }

    /// <summary>Indexes files with a few in flight at once, so the writer groups them into shared transactions.</summary>
    private async Task IndexFilesAsync(List<string> paths, StorageReport report, bool logEach, CancellationToken ct)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct };
        var indexedCount = 0;
        await Parallel.ForEachAsync(paths, parallel, async (path, token) =>
        {
            InstanceRecord record;
            try
            {
                record = await ReadStoredFileAsync(path, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DicomContentException or IOException or UnauthorizedAccessException)
            {
                var reason = ex is DicomContentException content ? content.Reason ?? content.Message : ex.Message;
                StorageLog.FileNotIndexable(logger, path, reason);
                report.Add(new StorageProblem(path, StorageProblemKind.UnreadableFile, reason));
                return;
            }

            try
            {
                lookup.Remember(record.SopInstanceUid);
                await writer.WriteInstanceAsync(record, replace: false, token).ConfigureAwait(false);
                Interlocked.Increment(ref indexedCount);
                if (logEach)
                {
                    StorageLog.UnindexedFileIndexed(logger, path);
                }
            }
            catch (InvalidOperationException ex)
            {
                report.Add(new StorageProblem(path, StorageProblemKind.DuplicateInstance, ex.Message));
            }
            catch (SqliteException ex)
            {
                report.Add(new StorageProblem(path, StorageProblemKind.UnreadableFile, "index: " + ex.Message));
            }
        }).ConfigureAwait(false);
        report.InstancesIndexed += indexedCount;
    }

    /// <summary>The index record of a stored file, from its meta header, data set header and content.</summary>
    /// <exception cref="DicomContentException">The file is not a readable stored instance.</exception>
    private async Task<InstanceRecord> ReadStoredFileAsync(string path, CancellationToken ct)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            var file = await StoredFileReader.ReadHeaderAsync(stream, ct).ConfigureAwait(false);
            var syntaxUid = file.FileMetaInformation.GetString(DicomTag.TransferSyntaxUID).TrimEnd('\0', ' ');
            if (syntaxUid.Length == 0)
            {
                throw new DicomContentException("The meta information has no Transfer Syntax UID", 0);
            }

            stream.Seek(0, SeekOrigin.Begin);
            var contentHash = await ContentHash.ComputeAsync(stream, ct).ConfigureAwait(false);
            var facts = new FileFacts(
                layout.ToRelative(path), stream.Length, syntaxUid, contentHash,
                file.FileMetaInformation.GetString(DicomTag.SourceApplicationEntityTitle).Trim(),
                "", "", new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero));
            var record = IndexedAttributes.ToRecord(file.Dataset, defaultCharacterSet, facts);
            if (record.SopInstanceUid.Length == 0 || record.StudyInstanceUid.Length == 0 || record.SeriesInstanceUid.Length == 0)
            {
                throw new DicomContentException("Missing Study, Series or SOP Instance UID", 0);
            }

            return record;
        }
    }

    /// <summary>
    /// Every stored file (*.dcm under the StorageRoot, not in .tmp), in batches of full paths; temp files (*.part)
    /// outside .tmp go to <paramref name="strayTempFiles"/> when given (one walk of the tree serves both).
    /// </summary>
    private IEnumerable<List<string>> StoredFileBatches(StorageReport report, CancellationToken ct, List<string>? strayTempFiles = null)
    {
        var enumeration = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.System,
            MatchCasing = MatchCasing.CaseInsensitive,
        };
        var batch = new List<string>(PathBatchSize);
        var pattern = strayTempFiles is null ? "*" + StorageLayout.FileExtension : "*";
        foreach (var path in Directory.EnumerateFiles(layout.Root, pattern, enumeration))
        {
            ct.ThrowIfCancellationRequested();
            if (layout.ToRelative(path).StartsWith(StorageLayout.TempFolderName + "/", StringComparison.Ordinal))
            {
                continue;
            }

            if (strayTempFiles is not null && !path.EndsWith(StorageLayout.FileExtension, StringComparison.OrdinalIgnoreCase))
            {
                if (path.EndsWith(StorageLayout.TempExtension, StringComparison.OrdinalIgnoreCase))
                {
                    strayTempFiles.Add(path);
                }

                continue;
            }

            report.FilesScanned++;
            batch.Add(path);
            if (batch.Count == PathBatchSize)
            {
                yield return batch;
                batch = new List<string>(PathBatchSize);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>The file's hash with the algorithm of the indexed value, to compare with it.</summary>
    private static string HashFile(string path, string indexed)
    {
        // No FileStream buffer: ContentHash reads 256 KiB at a time.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        return ContentHash.ComputeLike(indexed, stream);
    }
}
