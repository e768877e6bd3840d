namespace DicomArchive.Dicom;

/// <summary>
/// Reads DICOM files (PS3.10 7.1): the preamble, the File Meta Information and the data set in the transfer
/// syntax the meta information names. Sources without preamble or meta header are read too, with the
/// encoding worked out from the first element.
/// </summary>
/// <remarks>
/// Every problem with the bytes read throws <see cref="DicomContentException"/> with the offset where it was
/// found; no declared length is trusted beyond what the source holds. Values longer than
/// <see cref="DicomReaderOptions.BulkDataThreshold"/> are left in the source as <see cref="DicomBulkDataReference"/>s.
/// </remarks>
public static class DicomFileReader
{
    /// <summary>
    /// Reads a file from a stream, from its current position. A seekable stream is left just after the last
    /// element read: at its end, or at the element <see cref="DicomReaderOptions.StopBeforeTag"/> stopped before
    /// (except for deflated data sets, which are read ahead).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="DicomContentException">The bytes are not a readable DICOM file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was canceled.</exception>
    /// <exception cref="IOException">The stream or file failed (not a content problem).</exception>
    public static async Task<DicomFile> ReadAsync(Stream stream, DicomReaderOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new DicomReadBuffer(stream);
        return await ReadCoreAsync(buffer, stream, options ?? DicomReaderOptions.Default, null, true, ct).ConfigureAwait(false);
    }

    /// <summary>Opens and reads a file; bulk data references point into it (<see cref="DicomFile.SourcePath"/>).</summary>
    /// <exception cref="DicomContentException">The bytes are not a readable DICOM file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was canceled.</exception>
    /// <exception cref="IOException">The stream or file failed (not a content problem).</exception>
    public static async Task<DicomFile> OpenAsync(string path, DicomReaderOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = OpenFile(path, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new DicomReadBuffer(stream);
            return await ReadCoreAsync(buffer, stream, options ?? DicomReaderOptions.Default, path, true, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a file from a stream synchronously.</summary>
    /// <exception cref="DicomContentException">The bytes are not a readable DICOM file.</exception>
    public static DicomFile Read(Stream stream, DicomReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new DicomReadBuffer(stream);
        return ReadCoreAsync(buffer, stream, options ?? DicomReaderOptions.Default, null, false, default).GetAwaiter().GetResult();
    }

    /// <summary>Opens and reads a file synchronously.</summary>
    /// <exception cref="DicomContentException">The bytes are not a readable DICOM file.</exception>
    public static DicomFile Open(string path, DicomReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenFile(path, FileOptions.SequentialScan);
        using var buffer = new DicomReadBuffer(stream);
        return ReadCoreAsync(buffer, stream, options ?? DicomReaderOptions.Default, path, false, default).GetAwaiter().GetResult();
    }

    /// <summary>Reads a file held in memory. Values are copied; the memory may be reused afterwards.</summary>
    /// <exception cref="DicomContentException">The bytes are not a readable DICOM file.</exception>
    public static DicomFile Read(ReadOnlyMemory<byte> bytes, DicomReaderOptions? options = null)
    {
        using var buffer = new DicomReadBuffer(bytes);
        return ReadCoreAsync(buffer, null, options ?? DicomReaderOptions.Default, null, false, default).GetAwaiter().GetResult();
    }

    private static FileStream OpenFile(string path, FileOptions fileOptions) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, fileOptions);

    /// <summary>The one read path: with <paramref name="async"/> false every await completes synchronously.</summary>
    private static async ValueTask<DicomFile> ReadCoreAsync(
        DicomReadBuffer buffer, Stream? stream, DicomReaderOptions options, string? path, bool async, CancellationToken ct)
    {
        var parser = new DicomStreamParser(buffer, options, path);

        // PS3.10 7.1: 128-byte preamble, then "DICM".
        await buffer.FillAsync(DicomEncodingDetector.PreambleLength + 4, async, ct).ConfigureAwait(false);
        var start = buffer.Available;
        var hasPreamble = start.Length >= DicomEncodingDetector.PreambleLength + 4
            && start.Slice(DicomEncodingDetector.PreambleLength, 4).SequenceEqual(DicomEncodingDetector.Prefix);
        var preamble = ReadOnlyMemory<byte>.Empty;
        if (hasPreamble)
        {
            preamble = start[..DicomEncodingDetector.PreambleLength].ToArray();
            buffer.Advance(DicomEncodingDetector.PreambleLength + 4);
        }

        // The meta header is group 0002 in explicit VR little endian; some writers omit the preamble but keep it.
        var meta = new DicomDataset();
        await buffer.FillAsync(DicomElementHeaderDecoder.MaxHeaderLength, async, ct).ConfigureAwait(false);
        if (DicomEncodingDetector.StartsWithMetaElement(buffer.Available))
        {
            await parser.ReadMetaAsync(meta, async, ct).ConfigureAwait(false);
        }

        TransferSyntax? syntax = null;
        if (meta.TryGetString(DicomTag.TransferSyntaxUID, out var uid) && uid.Length > 0)
        {
            syntax = TransferSyntax.Lookup(uid);
        }

        await buffer.FillAsync(DicomElementHeaderDecoder.MaxHeaderLength, async, ct).ConfigureAwait(false);
        if (syntax is not { IsDeflated: true } && DicomEncodingDetector.StartsWithMetaElement(buffer.Available))
        {
            // The group length ended the meta header early, but group 0002 goes on: it is still meta information.
            await parser.ReadMetaAsync(meta, async, ct).ConfigureAwait(false);
            await buffer.FillAsync(DicomElementHeaderDecoder.MaxHeaderLength, async, ct).ConfigureAwait(false);
        }

        syntax ??= DicomEncodingDetector.DetectSyntax(buffer.Available);
        var dataset = new DicomDataset();
        if (syntax.IsDeflated)
        {
            await ReadDeflatedAsync(buffer, stream, dataset, options, async, ct).ConfigureAwait(false);
        }
        else
        {
            var explicitVR = DicomEncodingDetector.FirstElementIsExplicit(buffer.Available, syntax.IsExplicitVR);
            await parser.ReadDatasetAsync(dataset, explicitVR, syntax.IsLittleEndian, async, ct).ConfigureAwait(false);
            buffer.ReturnReadAhead();
        }

        return new DicomFile(meta, dataset)
        {
            TransferSyntax = syntax,
            HasPreamble = hasPreamble,
            Preamble = preamble,
            SourcePath = path,
        };
    }

    /// <summary>
    /// PS3.5 A.5: everything after the meta header is one raw deflate stream (RFC 1951) of an explicit VR little
    /// endian data set. Offsets inside it count inflated bytes from the end of the meta header.
    /// </summary>
    private static async ValueTask ReadDeflatedAsync(
        DicomReadBuffer buffer, Stream? stream, DicomDataset dataset, DicomReaderOptions options, bool async, CancellationToken ct)
    {
        var start = buffer.Position;
        var alreadyRead = buffer.DetachAvailable();
        var inflater = DicomReadBuffer.CreateInflater(stream ?? Stream.Null, alreadyRead);
        await using (inflater.ConfigureAwait(false))
        {
            using var inflated = new DicomReadBuffer(inflater, start);
            var parser = new DicomStreamParser(inflated, options, null);
            await parser.ReadDatasetAsync(dataset, true, true, async, ct).ConfigureAwait(false);
        }
    }
}
