using Microsoft.Win32.SafeHandles;

namespace DicomArchive.Dicom.Network.Transport;

/// <summary>
/// A read-only, seekable stream over a file that reads with positional reads (<see cref="RandomAccess"/>) and keeps
/// its own position. <see cref="PDataSender"/> recognises it and reads the data set straight into whole P-DATA-TF
/// PDUs with one scatter read per batch, instead of one read and one copy per fragment.
/// </summary>
/// <remarks>
/// On Unix the reads run on the calling thread: .NET has no kernel asynchronous file I/O there and implements an
/// asynchronous file read as the same pread on another thread-pool thread, so reading in place blocks a thread for
/// the same time and saves two thread hops per read. On Windows the handle is opened for overlapped I/O and
/// <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> is truly asynchronous.
/// </remarks>
public sealed class PositionalFileStream : Stream
{
    readonly SafeFileHandle _handle;
    readonly long _length;
    long _position;

    PositionalFileStream(SafeFileHandle handle)
    {
        _handle = handle;
        _length = RandomAccess.GetLength(handle);
    }

    /// <summary>Opens <paramref name="path"/> for reading; others may read or delete it meanwhile.</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read by this process.</exception>
    public static PositionalFileStream OpenRead(string path)
    {
        // SequentialScan: a larger read-ahead when the file is not in the page cache (posix_fadvise on Linux).
        FileOptions options = OperatingSystem.IsWindows() ? FileOptions.Asynchronous | FileOptions.SequentialScan : FileOptions.SequentialScan;
        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, options);
        try
        {
            return new PositionalFileStream(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The file, for positional reads by <see cref="PDataSender"/>.</summary>
    internal SafeFileHandle Handle => _handle;

    public override bool CanRead => !_handle.IsClosed;

    public override bool CanSeek => !_handle.IsClosed;

    public override bool CanWrite => false;

    /// <summary>The file's length when it was opened (stored files do not change).</summary>
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = RandomAccess.Read(_handle, buffer, _position);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        if (OperatingSystem.IsWindows())
        {
            return ReadOverlappedAsync(buffer, cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return ValueTask.FromException<int>(ex);
        }
    }

    async ValueTask<int> ReadOverlappedAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int read = await RandomAccess.ReadAsync(_handle, buffer, _position, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    /// <summary>Fills <paramref name="buffers"/> in order from <paramref name="fileOffset"/> (one preadv on Unix); returns the bytes read.</summary>
    internal async ValueTask<long> ReadScatterAsync(IReadOnlyList<Memory<byte>> buffers, long fileOffset, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return await RandomAccess.ReadAsync(_handle, buffers, fileOffset, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        long read = RandomAccess.Read(_handle, buffers, fileOffset);
        long wanted = 0;
        foreach (Memory<byte> buffer in buffers)
        {
            wanted += buffer.Length;
        }

        if (read == 0 || read == wanted)
        {
            return read;
        }

        // A short scatter read (the kernel may stop early): read the rest buffer by buffer until the end of the file.
        long skipped = 0;
        foreach (Memory<byte> buffer in buffers)
        {
            if (skipped + buffer.Length <= read)
            {
                skipped += buffer.Length;
                continue;
            }

            int filled = (int)Math.Max(0, read - skipped);
            while (filled < buffer.Length)
            {
                int n = RandomAccess.Read(_handle, buffer.Span[filled..], fileOffset + skipped + filled);
                if (n == 0)
                {
                    return skipped + filled;
                }

                filled += n;
            }

            skipped += buffer.Length;
            read = skipped;
        }

        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0)
        {
            throw new IOException("Seek before the start of the file");
        }

        _position = target;
        return target;
    }

    public override void Flush()
    {
        // Read-only: nothing to flush.
    }

    public override void SetLength(long value) => throw new NotSupportedException("The stream is read-only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The stream is read-only");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }
}
