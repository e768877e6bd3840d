using DicomArchive.Dicom;
using DicomArchive.Storage.Files;
using DicomArchive.Storage.Index;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DicomArchive.Storage;

/// <summary>
/// The archive's file store and index: ingest (<see cref="BeginStoreAsync"/>), retrieval lookups, and maintenance
/// (<see cref="RecoverAsync"/>, <see cref="ReindexAsync"/>, <see cref="VerifyAsync"/>). Thread-safe; one per process.
/// </summary>
public sealed partial class InstanceStore : IAsyncDisposable
{
    // Stores of the same SOP Instance UID are serialised (duplicate check, move and index as one step);
    // different UIDs proceed in parallel. 64 stripes keep collisions rare without a lock per UID.
    private readonly SemaphoreSlim[] uidLocks = CreateLocks(64);

    private readonly ArchiveStorageOptions options;
    private readonly ILogger logger;
    private readonly StorageLayout layout;
    private readonly IndexDatabase database;
    private readonly IndexReader reader;
    private readonly InstanceLookup lookup;
    private readonly IndexWriter writer;
    private readonly WalCheckpointer checkpointer;
    private readonly DicomCharacterSet defaultCharacterSet;
    private readonly FreeSpaceCheck freeSpace;
    private FileStream? storageLock;
    private int diskLowLogged;
    private bool recovered;

    private InstanceStore(ArchiveStorageOptions options, ILogger logger, IndexDatabase database)
    {
        this.options = options;
        this.logger = logger;
        this.database = database;
        layout = new StorageLayout(options.StorageRoot);
        freeSpace = new FreeSpaceCheck(layout.Root);
        reader = new IndexReader(database);
        lookup = new InstanceLookup(database);
        writer = new IndexWriter(database, logger, options.MaxIndexBatchSize);
        checkpointer = new WalCheckpointer(database, () => writer.TransactionCount, logger, TimeProvider.System);
        defaultCharacterSet = string.IsNullOrWhiteSpace(options.DefaultCharacterSet)
            ? DicomCharacterSet.Default
            : DicomCharacterSet.FromTerms(options.DefaultCharacterSet.Split('\\'));
    }

    /// <summary>The StorageRoot as a full path.</summary>
    public string StorageRoot => layout.Root;

    public ArchiveStorageOptions Options => options;

    /// <summary>
    /// Whether the previous process closed this store cleanly (<see cref="DisposeAsync"/> ran to the end). When it did
    /// not (a crash, kill -9, power cut), files may lie without an index row and <see cref="RecoverAsync"/> must run;
    /// after a clean close it finds nothing and, on a large store, only costs start-up time (it walks every file).
    /// </summary>
    public bool LastCloseWasClean { get; private init; }

    /// <summary>
    /// Opens the store: creates the folders and the index when missing, migrates the schema, and deletes temporary
    /// files left by a previous run (their stores were never answered with success). Call <see cref="RecoverAsync"/>
    /// next to index files that a crash left without an index row.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="ArchiveStorageOptions.Validate"/>).</exception>
    /// <exception cref="InvalidOperationException">The index schema is newer than this build.</exception>
    public static async Task<InstanceStore> OpenAsync(ArchiveStorageOptions options, ILogger? logger = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        logger ??= NullLogger.Instance;
        var layout = new StorageLayout(options.StorageRoot);
        Directory.CreateDirectory(layout.Root);
        Directory.CreateDirectory(layout.TempFolder);
        var storageLock = StorageLock.Acquire(layout.Root);
        InstanceStore store;
        try
        {
            var database = new IndexDatabase(options.IndexPath, options.FsyncPolicy);
            var previous = await Task.Run(database.Initialize, ct).ConfigureAwait(false);
            StorageLog.IndexOpened(logger, database.Path, SchemaMigrations.LatestVersion, previous);
            var clean = StorageLock.TakeOver(storageLock);
            store = new InstanceStore(options, logger, database) { storageLock = storageLock, LastCloseWasClean = clean };
        }
        catch
        {
            await storageLock.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            store.DeleteLeftoverTempFiles();
        }
        catch
        {
            // The store (its storage lock, index writer and checkpoint task) is not handed out: close it here.
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return store;
    }

    /// <summary>
    /// Starts receiving an instance. The returned instance's stream already follows our Part 10 meta header; the
    /// caller copies the data set bytes into it and commits. When the store is refused up front (free disk below
    /// <see cref="ArchiveStorageOptions.MinimumFreeDiskBytes"/>, unsupported SOP class, malformed command UIDs) nothing
    /// is written and <see cref="IncomingInstance.Refusal"/> holds the status to answer.
    /// </summary>
    public Task<IncomingInstance> BeginStoreAsync(StoreContext context, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ct.ThrowIfCancellationRequested();
        // UIDs arrive padded to even length with NUL (PS3.5 9.1); AE titles with spaces (PS3.8 9.3.2).
        context = context with
        {
            SopClassUid = TrimUid(context.SopClassUid),
            SopInstanceUid = TrimUid(context.SopInstanceUid),
            TransferSyntaxUid = TrimUid(context.TransferSyntaxUid),
            CallingAe = context.CallingAe.Trim(),
            CalledAe = context.CalledAe.Trim(),
        };
        var refusal = CheckBeforeReceiving(context);
        if (refusal is not null)
        {
            StorageLog.StoreRefused(logger, context.SopInstanceUid, context.CallingAe, refusal.Status, refusal.ErrorComment ?? "");
            return Task.FromResult(IncomingInstance.Refused(context, refusal));
        }

        // The temporary file is created when the first bytes must reach the disk (IncomingInstance); a failure to
        // create or write it is answered at commit (0xA700 for a full or read-only volume).
        var hash = Blake3.Hasher.New();
        var meta = FileMetaHeader.Build(context);
        return Task.FromResult(new IncomingInstance(this, context, layout.NewTempPath(), CreateTempFile, hash, meta));
    }

    /// <summary>The instances of a study, optionally narrowed to a series and an instance, in series/instance number order.</summary>
    public async Task<IReadOnlyList<StoredInstance>> GetInstancesAsync(
        string studyInstanceUid, string? seriesInstanceUid = null, string? sopInstanceUid = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(studyInstanceUid);
        var rows = await reader.GetInstancesAsync(studyInstanceUid, seriesInstanceUid, sopInstanceUid, ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            row.FullPath = layout.FullPath(row.RelativePath);
        }

        return rows;
    }

    /// <summary>One instance by SOP Instance UID, or null.</summary>
    public async Task<StoredInstance?> FindInstanceAsync(string sopInstanceUid, CancellationToken ct = default)
    {
        var row = await reader.FindInstanceAsync(sopInstanceUid, ct).ConfigureAwait(false);
        if (row is not null)
        {
            row.FullPath = layout.FullPath(row.RelativePath);
        }

        return row;
    }

    /// <summary>
    /// A new read connection to the index (the query engine's entry point). The caller disposes it; it must not write.
    /// </summary>
    public Microsoft.Data.Sqlite.SqliteConnection OpenIndexConnection() => database.Open();

    /// <summary>A connection to the index for reading only (queries, retrieve lookups).</summary>
    public Microsoft.Data.Sqlite.SqliteConnection OpenIndexReadConnection() => database.OpenForRead();

    public async ValueTask DisposeAsync()
    {
        await writer.DisposeAsync().ConfigureAwait(false);
        await checkpointer.DisposeAsync().ConfigureAwait(false);
        lookup.Dispose();
        foreach (var stripe in uidLocks)
        {
            stripe.Dispose();
        }

        if (storageLock is not null)
        {
            // Clean only if no file can be left without a row: the last close was clean, or this process recovered.
            if (LastCloseWasClean || Volatile.Read(ref recovered))
            {
                StorageLock.MarkClean(storageLock);
            }

            await storageLock.DisposeAsync().ConfigureAwait(false);
            storageLock = null;
        }
    }

    /// <summary>Completes when the duplicate check knows every UID indexed at start-up (tests).</summary>
    internal Task DuplicateFilterLoaded => lookup.Loaded;

    internal void DeleteTemp(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Start-up removes it at the latest.
            StorageLog.DeleteFailed(logger, ex, path);
        }
    }

    private StoreResult? CheckBeforeReceiving(StoreContext context)
    {
        if (context.SopInstanceUid.Length == 0 || context.SopClassUid.Length == 0 || context.TransferSyntaxUid.Length == 0)
        {
            // PS3.4 B.2.3 Cxxx: the command lacks the UIDs the file meta information is made from.
            return StoreResult.Failure(StoreStatus.CannotUnderstand, "Missing Affected SOP Instance or Class UID");
        }

        if (!options.AcceptUnknownSopClasses &&
            !(DicomUid.TryLookup(context.SopClassUid, out var sopClass) && sopClass.IsStorageSopClass))
        {
            return StoreResult.Failure(StoreStatus.SopClassNotSupported, "SOP Class not supported: " + context.SopClassUid);
        }

        if (options.MinimumFreeDiskBytes > 0 && freeSpace.AvailableBytes(options.MinimumFreeDiskBytes) is { } available &&
            available < options.MinimumFreeDiskBytes)
        {
            if (Interlocked.Exchange(ref diskLowLogged, 1) == 0)
            {
                StorageLog.DiskLow(logger, available, layout.Root, options.MinimumFreeDiskBytes);
            }

            return StoreResult.Failure(StoreStatus.OutOfResources, "Storage is full (free disk below the configured minimum)");
        }

        Interlocked.Exchange(ref diskLowLogged, 0);
        return null;
    }

    /// <summary>
    /// Creates the temporary file; the temp folder made at open is recreated only if someone removed it since (one
    /// system call per store instead of two).
    /// </summary>
    /// <remarks>Unbuffered: <see cref="IncomingInstance"/> writes in blocks of its own pooled buffer.</remarks>
    private FileStream CreateTempFile(string tempPath)
    {
        try
        {
            return new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.None);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(layout.TempFolder);
            return new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.None);
        }
    }

    private static string TrimUid(string uid) => uid.Trim().TrimEnd('\0').Trim();

    private void DeleteLeftoverTempFiles()
    {
        var count = 0;
        foreach (var path in Directory.EnumerateFiles(layout.TempFolder))
        {
            DeleteTemp(path);
            count++;
        }

        if (count > 0)
        {
            StorageLog.TempFilesRemoved(logger, count, layout.TempFolder);
        }
    }

    private SemaphoreSlim LockFor(string sopInstanceUid) =>
        uidLocks[(StringComparer.Ordinal.GetHashCode(sopInstanceUid) & int.MaxValue) % uidLocks.Length];

    private static SemaphoreSlim[] CreateLocks(int count)
    {
        var locks = new SemaphoreSlim[count];
        for (var i = 0; i < count; i++)
        {
            locks[i] = new SemaphoreSlim(1, 1);
        }

        return locks;
    }
}
