using System.Buffers;
using System.Security.Cryptography;

namespace DicomArchive.Storage;

/// <summary>
/// One instance being received: write the data set bytes to <see cref="Stream"/> as they arrive, then
/// <see cref="CommitAsync"/> (or <see cref="AbortAsync"/>). Disposing without a commit deletes the temporary file.
/// </summary>
/// <remarks>
/// The stream writes to a temporary file under StorageRoot/.tmp that already holds our Part 10 meta header; the
/// SHA-256 of the file is computed as the bytes are written, so the file is never read back for hashing. The first
/// <see cref="HeadCapacity"/> bytes are also kept in a pooled buffer: a small instance (the common case) is then
/// checked and indexed from memory, without reading its header back from the file.
/// A refused instance (<see cref="Refusal"/> not null) has a stream that discards everything; its commit answers the refusal.
/// </remarks>
public sealed class IncomingInstance : IAsyncDisposable, IDisposable
{
    private readonly InstanceStore? store;
    private readonly FileStream? file;
    private readonly IncrementalHash? hash;
    private readonly ReceiveStream? receiveStream;
    private bool finished;

    /// <summary>Bytes of the file (meta header included) kept in memory for the header check.</summary>
    internal const int HeadCapacity = 64 * 1024;

    internal IncomingInstance(
        InstanceStore store, StoreContext context, string tempPath, FileStream file, IncrementalHash hash, ReadOnlySpan<byte> metaHeader)
    {
        this.store = store;
        this.file = file;
        this.hash = hash;
        Context = context;
        TempPath = tempPath;
        DatasetOffset = metaHeader.Length;
        receiveStream = new ReceiveStream(file, hash);
        receiveStream.Keep(metaHeader);
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

    internal FileStream File => file!;

    /// <summary>The whole file (meta header and data set) when it fits in <see cref="HeadCapacity"/> bytes, else empty.</summary>
    internal ReadOnlyMemory<byte> WholeFileInMemory => receiveStream?.WholeFile ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>The first write failure, or null.</summary>
    internal Exception? WriteFailure => receiveStream?.Failure;

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
        return await store!.CommitAsync(this, FinishHash(), ct).ConfigureAwait(false);
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
        file?.Dispose();
        receiveStream?.ReturnHead();
        if (!finished)
        {
            finished = true;
            store!.DeleteTemp(TempPath);
        }
    }

    internal static IncomingInstance Refused(StoreContext context, StoreResult refusal) => new(context, refusal);

    private string FinishHash() => Convert.ToHexStringLower(hash!.GetHashAndReset());

    /// <summary>Writes to the temporary file and the hash at once.</summary>
    private sealed class ReceiveStream(FileStream file, IncrementalHash hash) : Stream
    {
        private byte[]? head = ArrayPool<byte>.Shared.Rent(HeadCapacity);
        private int headLength;
        private bool headOverflowed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public Exception? Failure { get; private set; }

        public ReadOnlyMemory<byte> WholeFile =>
            head is null || headOverflowed || Failure is not null ? ReadOnlyMemory<byte>.Empty : head.AsMemory(0, headLength);

        /// <summary>Copies written bytes into the head buffer while they fit; past it, the header is read from the file.</summary>
        public void Keep(ReadOnlySpan<byte> bytes)
        {
            if (headOverflowed || head is null)
            {
                return;
            }

            if (bytes.Length > HeadCapacity - headLength)
            {
                headOverflowed = true;
                return;
            }

            bytes.CopyTo(head.AsSpan(headLength));
            headLength += bytes.Length;
        }

        public void ReturnHead()
        {
            if (head is { } buffer)
            {
                head = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Failure is not null)
            {
                return;
            }

            hash.AppendData(buffer);
            Keep(buffer);
            try
            {
                file.Write(buffer);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Failure = ex;
            }
        }

        public override void WriteByte(byte value) => Write([value]);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Failure is not null)
            {
                return;
            }

            hash.AppendData(buffer.Span);
            Keep(buffer.Span);
            try
            {
                await file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Failure = ex;
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
    }
}
