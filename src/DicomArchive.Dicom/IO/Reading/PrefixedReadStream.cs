namespace DicomArchive.Dicom;

/// <summary>A read-only, forward-only stream of some bytes already read, then the rest of another stream.</summary>
internal sealed class PrefixedReadStream(byte[] prefix, Stream inner) : Stream
{
    private int prefixUsed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (prefixUsed < prefix.Length)
        {
            return TakePrefix(buffer);
        }

        return inner.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (prefixUsed < prefix.Length)
        {
            return ValueTask.FromResult(TakePrefix(buffer.Span));
        }

        return inner.ReadAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int TakePrefix(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, prefix.Length - prefixUsed);
        prefix.AsSpan(prefixUsed, n).CopyTo(buffer);
        prefixUsed += n;
        return n;
    }
}
