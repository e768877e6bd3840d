namespace DicomArchive.Dicom.Tests.IO.Reading;

/// <summary>A large object costs the same memory as a small one when its values go to bulk data.</summary>
public sealed class DicomReaderLargeObjectTests
{
    private const long OneGigabyte = 1L << 30;

    [Test]
    public async Task OpenAsync_OneGigabytePixelDataAsBulkData_SeeksOverItWithFlatMemory()
    {
        var header = DicomTestEncoder.Part10(
            new DicomTestEncoder().UnsignedShort(0x0028, 0x0010, 512).Header(0x7FE0, 0x0010, "OW", (uint)OneGigabyte).ToArray(),
            "1.2.840.10008.1.2.1");
        var path = Path.Combine(Path.GetTempPath(), $"reader-large-{Guid.NewGuid():N}.dcm");
        await using (var file = File.Create(path))
        {
            await file.WriteAsync(header);

            // Sparse: the gigabyte of pixel data costs no disk or time.
            file.SetLength(header.Length + OneGigabyte);
        }

        try
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var read = DicomFileReader.Open(path, new DicomReaderOptions { BulkDataThreshold = 1024 * 1024 });
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            var pixels = (DicomValueElement)read.Dataset[DicomTag.PixelData]!;
            pixels.BulkData!.Offset.Should().Be(header.Length);
            pixels.Length.Should().Be(OneGigabyte);
            allocated.Should().BeLessThan(1024 * 1024);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task ReadAsync_OneGigabyteOfFragmentsOnNonSeekableStream_StreamsThroughWithFlatMemory()
    {
        // 1024 fragments of 1 MB each, generated on the fly: nothing of it is ever held.
        const int FragmentCount = 1024;
        const int FragmentLength = 1024 * 1024;
        var prefix = DicomTestEncoder.Part10(
            new DicomTestEncoder().Header(0x7FE0, 0x0010, "OB", DicomElementHeader.UndefinedLength).Item(0).ToArray(),
            "1.2.840.10008.1.2.4.50");
        var fragmentHeader = new DicomTestEncoder().Item(FragmentLength).ToArray();
        var suffix = new DicomTestEncoder().SequenceDelimiter().ToArray();
        await using var stream = new GeneratedStream(prefix, fragmentHeader, FragmentLength, FragmentCount, suffix);

        var file = await DicomFileReader.ReadAsync(stream, new DicomReaderOptions { BulkDataThreshold = 64 * 1024 });

        var fragments = ((DicomFragmentSequence)file.Dataset[DicomTag.PixelData]!).Fragments;
        fragments.Should().HaveCount(FragmentCount);
        fragments[^1].BulkData!.Offset.Should().Be(prefix.Length + ((long)(FragmentCount - 1) * (FragmentLength + 8)) + 8);
        stream.MaxRequested.Should().BeLessThanOrEqualTo(64 * 1024, "the reader reads through its pooled buffer");
    }

    /// <summary>prefix, then count x (header, length zero bytes), then suffix; never materialised.</summary>
    private sealed class GeneratedStream(byte[] prefix, byte[] repeatHeader, int repeatLength, int count, byte[] suffix) : Stream
    {
        private static readonly byte[] Zeros = new byte[64 * 1024];
        private readonly long length = prefix.Length + ((long)count * (repeatHeader.Length + repeatLength)) + suffix.Length;
        private long position;

        public int MaxRequested { get; private set; }

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
            MaxRequested = Math.Max(MaxRequested, buffer.Length);
            var n = (int)Math.Min(buffer.Length, length - position);
            var filled = 0;
            while (filled < n)
            {
                var segment = Segment(position + filled);
                var take = Math.Min(n - filled, segment.Length);
                segment[..take].CopyTo(buffer[filled..]);
                filled += take;
            }

            position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <summary>The bytes from <paramref name="at"/> to the end of the part of the stream it falls in.</summary>
        private ReadOnlySpan<byte> Segment(long at)
        {
            if (at < prefix.Length)
            {
                return prefix.AsSpan((int)at);
            }

            at -= prefix.Length;
            var unit = repeatHeader.Length + repeatLength;
            if (at < (long)count * unit)
            {
                var within = (int)(at % unit);
                return within < repeatHeader.Length ? repeatHeader.AsSpan(within) : Zeros.AsSpan(0, Math.Min(Zeros.Length, unit - within));
            }

            return suffix.AsSpan((int)(at - ((long)count * unit)));
        }
    }
}
