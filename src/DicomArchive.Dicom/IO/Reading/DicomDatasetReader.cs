namespace DicomArchive.Dicom;

/// <summary>
/// Reads a bare data set (no preamble, no meta header) in a known transfer syntax: the data sets and command
/// sets of DIMSE messages (PS3.7 6.3.1), or the body of a file whose meta header was read elsewhere.
/// </summary>
public static class DicomDatasetReader
{
    /// <summary>
    /// Reads a data set from the stream's current position to its end (or up to the StopBeforeTag option). A
    /// seekable stream is left just after the last element read (unless deflated).
    /// </summary>
    /// <exception cref="DicomContentException">The bytes are not a valid data set in <paramref name="syntax"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was canceled.</exception>
    /// <exception cref="IOException">The stream or file failed (not a content problem).</exception>
    public static async Task<DicomDataset> ReadAsync(
        Stream stream, TransferSyntax syntax, DicomReaderOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(syntax);
        return await ReadCoreAsync(stream, syntax, options ?? DicomReaderOptions.Default, true, ct).ConfigureAwait(false);
    }

    /// <summary>Reads a data set from the stream synchronously.</summary>
    /// <exception cref="DicomContentException">The bytes are not a valid data set in <paramref name="syntax"/>.</exception>
    public static DicomDataset Read(Stream stream, TransferSyntax syntax, DicomReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(syntax);
        return ReadCoreAsync(stream, syntax, options ?? DicomReaderOptions.Default, false, default).GetAwaiter().GetResult();
    }

    /// <summary>Reads a data set held in memory (a command set, a small data set). Values are copied.</summary>
    /// <exception cref="DicomContentException">The bytes are not a valid data set in <paramref name="syntax"/>.</exception>
    public static DicomDataset Read(ReadOnlyMemory<byte> bytes, TransferSyntax syntax, DicomReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        options ??= DicomReaderOptions.Default;
        if (syntax.IsDeflated)
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            return ReadCoreAsync(stream, syntax, options, false, default).GetAwaiter().GetResult();
        }

        var dataset = new DicomDataset();
        using var buffer = new DicomReadBuffer(bytes);
        new DicomStreamParser(buffer, options, null)
            .ReadDatasetAsync(dataset, syntax.IsExplicitVR, syntax.IsLittleEndian, false, default).GetAwaiter().GetResult();
        return dataset;
    }

    private static async ValueTask<DicomDataset> ReadCoreAsync(
        Stream stream, TransferSyntax syntax, DicomReaderOptions options, bool async, CancellationToken ct)
    {
        var dataset = new DicomDataset();
        var source = syntax.IsDeflated ? DicomReadBuffer.CreateInflater(stream, []) : stream;
        try
        {
            using var buffer = new DicomReadBuffer(source);
            var parser = new DicomStreamParser(buffer, options, null);

            // PS3.5 A.5: a deflated data set is explicit VR little endian once inflated.
            await parser.ReadDatasetAsync(dataset, syntax.IsExplicitVR, syntax.IsLittleEndian, async, ct).ConfigureAwait(false);
            buffer.ReturnReadAhead();
        }
        finally
        {
            if (!ReferenceEquals(source, stream))
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }

        return dataset;
    }
}
