using System.Buffers;
using DicomArchive.Storage.Files;

namespace DicomArchive.Storage;

/// <summary>
/// One instance being received: write the data set bytes to <see cref="Stream"/> as they arrive, then
/// <see cref="CommitAsync"/> (or <see cref="AbortAsync"/>). Disposing without a commit deletes the temporary file.
/// </summary>
/// <remarks>
/// The bytes (our Part 10 meta header first) collect in a pooled buffer of <see cref="BufferCapacity"/> bytes and go to
/// a temporary file under StorageRoot/.tmp each time it fills; the content hash (<see cref="ContentHash"/>) is computed
/// over each buffer as it is written, so the file is never read back for hashing. An instance that fits in the buffer
/// (the common small object) never touches .tmp: it is checked from memory and the store writes it in one write to a
/// temporary file beside its final path (<see cref="TryFinishInMemory"/>): no per-instance FileStream buffer, no write
/// per network fragment, and a refused or duplicate instance writes nothing. A large one streams through the buffer
/// (memory stays bounded).
/// A refused instance (<see cref="Refusal"/> not null) has a stream that discards everything; its commit answers the refusal.
/// </remarks>
public sealed class IncomingInstance : IAsyncDisposable, IDisposable
{
    private readonly InstanceStore? store;
    private readonly Blake3.Hasher? hash;
    private readonly ReceiveStream? receiveStream;
    private bool finished;

    /// <summary>Bytes of the file (meta header included) gathered before a write to the temporary file.</summary>
    internal const int BufferCapacity = 256 * 1024;

    internal IncomingInstance(
        InstanceStore store, StoreContext context, string tempPath, Func<string, FileStream> createFile, Blake3.Hasher hash,
        ReadOnlySpan<byte> metaHeader)
    {
        this.store = store;
        this.hash = hash;
        Context = context;
        TempPath = tempPath;
        DatasetOffset = metaHeader.Length;
        receiveStream = new ReceiveStream(tempPath, createFile, hash);
        receiveStream.Write(metaHeader);
        Stream = receiveStream;
    }

    private IncomingInstance(StoreContext context, StoreResult refusal)
    {
        Context = context;
        Refusal = refusal;
        TempPath = "";
        Stream = Stream.Null;
        finished = true;
    }

    /// <summary>What the command and association said.</summary>
    public StoreContext Context { get; }

    /// <summary>
    /// Where the data set bytes go (write-only). Writes do not throw for file system failures (a full disk): the
    /// first failure is remembered, later bytes are discarded, and <see cref="CommitAsync"/> answers 0xA700.
    /// </summary>
    public Stream Stream { get; }

    /// <summary>Non-null when the store was refused before anything was written (e.g. 0xA700 for low disk space).</summary>
    public StoreResult? Refusal { get; }

    internal string TempPath { get; }

    internal long DatasetOffset { get; }

    /// <summary>Total bytes received, meta header included (the file's length once written).</summary>
    internal long Length => receiveStream?.Length ?? 0;

    /// <summary>The whole file (meta header and data set) when it fits in <see cref="BufferCapacity"/> bytes, else empty.</summary>
    internal ReadOnlyMemory<byte> WholeFileInMemory => receiveStream?.WholeFile ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>The first write failure, or null.</summary>
    internal Exception? WriteFailure => receiveStream?.Failure;

    /// <summary>
    /// Writes what is still buffered and returns the temporary file (created now if everything fitted in memory),
    /// positioned at its end, and the content hash of its bytes. Throws the I/O error of a failed write or create.
    /// </summary>
    internal (FileStream File, string ContentHash) FinishFile() => (receiveStream!.Finish(), ContentHash.Finish(hash!));

    /// <summary>
    /// For an instance that fitted in the buffer and has not touched the disk: completes it without creating the
    /// temporary file and gives its bytes (meta header and data set; valid until disposal) and content hash, so the
    /// store can write the file beside its final path once the header is checked. False when it spilled to a
    /// temporary file or a write failed: use <see cref="FinishFile"/>.
    /// </summary>
    internal bool TryFinishInMemory(out ReadOnlyMemory<byte> bytes, out string contentHash)
    {
        if (receiveStream is null || !receiveStream.TryCompleteInMemory(hash!, out bytes))
        {
            bytes = ReadOnlyMemory<byte>.Empty;
            contentHash = "";
            return false;
        }

        contentHash = ContentHash.Finish(hash!);
        return true;
    }

    /// <summary>Closes the temporary file, if it was created (before a rename, and before a delete on Windows).</summary>
    internal void CloseFile() => receiveStream?.CloseFile();

    /// <summary>
    /// Checks, makes durable, moves to the final path and indexes the instance; returns the status to answer.
    /// Never throws for bad data or a full disk: every failure is a failure status, and leaves no file and no row.
    /// </summary>
    public async Task<StoreResult> CommitAsync(CancellationToken ct = default)
    {
        if (Refusal is not null)
        {
            return Refusal;
        }

        ObjectDisposedException.ThrowIf(finished, this);
        finished = true;
        return await store!.CommitAsync(this, ct).ConfigureAwait(false);
    }

    /// <summary>Abandons the instance (association aborted, C-CANCEL, bad fragment): deletes the temporary file.</summary>
    public ValueTask AbortAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        hash?.Dispose();
        receiveStream?.CloseFile();
        receiveStream?.ReturnBuffer();
        if (!finished)
        {
            finished = true;
            if (receiveStream is { FileCreated: true })
            {
                store!.DeleteTemp(TempPath);
            }
        }
    }

    internal static IncomingInstance Refused(StoreContext context, StoreResult refusal) => new(context, refusal);

    /// <summary>Gathers the bytes in the pooled buffer, hashing it and writing it to the temporary file when full.</summary>
    private sealed class ReceiveStream(string tempPath, Func<string, FileStream> createFile, Blake3.Hasher hash) : Stream
    {
        private byte[]? buffer = ArrayPool<byte>.Shared.Rent(BufferCapacity);
        private int buffered;
        private long length;
        private FileStream? file;
        private bool spilled;
        private bool completed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => length;

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public Exception? Failure { get; private set; }

        public bool FileCreated { get; private set; }

        /// <summary>All bytes, when the buffer never filled (before and after <see cref="Finish"/>).</summary>
        public ReadOnlyMemory<byte> WholeFile =>
            buffer is null || spilled || Failure is not null ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(0, buffered);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> bytes)
        {
            if (Failure is not null || buffer is null)
            {
                return;
            }

            ObjectDisposedException.ThrowIf(completed, this);
            length += bytes.Length;
            while (!bytes.IsEmpty)
            {
                var count = Math.Min(bytes.Length, BufferCapacity - buffered);
                bytes[..count].CopyTo(buffer.AsSpan(buffered));
                buffered += count;
                bytes = bytes[count..];
                if (buffered == BufferCapacity)
                {
                    spilled = true;
                    if (!TryWriteBuffer())
                    {
                        return;
                    }

                    buffered = 0;
                }
            }
        }

        public override void WriteByte(byte value) => Write([value]);

        // The file has no async handle and the writes go to the page cache: an async path would only add a thread hop.
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        /// <summary>Writes the rest; the buffer keeps its bytes (<see cref="WholeFile"/> for the header check).</summary>
        public FileStream Finish()
        {
            if (!completed && Failure is null && buffer is not null && (file is null || buffered > 0))
            {
                TryWriteBuffer();
            }

            completed = true;

            if (Failure is not null)
            {
                throw new IOException("Cannot write the received data set: " + Failure.Message, Failure);
            }

            return file ?? throw new ObjectDisposedException(nameof(IncomingInstance));
        }

        /// <summary>Completes an instance that is wholly in the buffer and has no file: hashes it and gives its bytes.</summary>
        public bool TryCompleteInMemory(Blake3.Hasher hasher, out ReadOnlyMemory<byte> bytes)
        {
            if (completed || spilled || file is not null || Failure is not null || buffer is null)
            {
                bytes = ReadOnlyMemory<byte>.Empty;
                return false;
            }

            hasher.Update(buffer.AsSpan(0, buffered));
            completed = true;
            bytes = buffer.AsMemory(0, buffered);
            return true;
        }

        public void CloseFile()
        {
            file?.Dispose();
        }

        public void ReturnBuffer()
        {
            if (buffer is { } rented)
            {
                buffer = null;
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        // Durability is CommitAsync's business (fsync per policy); a flush here would only cost a system call.
        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        /// <summary>Hashes the buffer, creates the file on first use and writes the buffer to it; a failure is remembered, not thrown.</summary>
        private bool TryWriteBuffer()
        {
            // Hashed a whole buffer at a time: BLAKE3 runs several times faster on 256 KiB than on network-sized pieces.
            hash.Update(buffer!.AsSpan(0, buffered));
            try
            {
                if (file is null)
                {
                    FileCreated = true;
                    file = createFile(tempPath);
                }

                file.Write(buffer!, 0, buffered);
                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Failure = ex;
                return false;
            }
        }
    }
}
