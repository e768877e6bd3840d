using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;

namespace DicomArchive.Dicom;

/// <summary>
/// Encodes a data set in a transfer syntax (PS3.5 7): element headers per PS3.5 7.1.2, values padded to even length,
/// byte order per PS3.5 7.3, sequences per PS3.5 7.5, encapsulated pixel data per PS3.5 A.4, and the whole data set
/// deflated for Deflated Explicit VR Little Endian (PS3.5 A.5). Writing a data set read in one uncompressed syntax
/// into another is the conversion between them.
/// </summary>
public static class DicomDatasetWriter
{
    /// <summary>Writes <paramref name="dataset"/> to <paramref name="stream"/> in <paramref name="syntax"/>.</summary>
    /// <exception cref="NotSupportedException">
    /// Encapsulated pixel data into a native syntax, or native pixel data into an encapsulated one (no codecs).
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// A value left in a source that cannot be reopened, or a value too long for DICOM.
    /// </exception>
    public static async Task WriteAsync(
        Stream stream,
        DicomDataset dataset,
        TransferSyntax syntax,
        DicomWriterOptions? options = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        await WriteCoreAsync(stream, dataset, syntax, options ?? DicomWriterOptions.Default, false, true, ct)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Writes <paramref name="dataset"/> synchronously into <paramref name="output"/>: for small data sets such as
    /// command sets and headers. Values left in files are read synchronously.
    /// </summary>
    /// <exception cref="NotSupportedException">See <see cref="WriteAsync"/>.</exception>
    /// <exception cref="InvalidOperationException">See <see cref="WriteAsync"/>.</exception>
    public static void Write(IBufferWriter<byte> output, DicomDataset dataset, TransferSyntax syntax, DicomWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        using var stream = new BufferWriterStream(output);
        RunSynchronously(WriteCoreAsync(stream, dataset, syntax, options ?? DicomWriterOptions.Default, false, false, default));
    }

    /// <summary>The number of bytes <paramref name="dataset"/> encodes to in <paramref name="syntax"/> (before any deflate).</summary>
    public static long GetEncodedLength(DicomDataset dataset, TransferSyntax syntax, DicomWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        using var encoder = new DicomEncoder(Stream.Null, syntax, options ?? DicomWriterOptions.Default, excludeFileMeta: false);
        return encoder.Measure(dataset);
    }

    /// <summary>The shared body: <paramref name="async"/> false runs every step synchronously.</summary>
    internal static async ValueTask WriteCoreAsync(
        Stream stream,
        DicomDataset dataset,
        TransferSyntax syntax,
        DicomWriterOptions options,
        bool excludeFileMeta,
        bool async,
        CancellationToken ct)
    {
        if (!syntax.IsDeflated)
        {
            using var encoder = new DicomEncoder(stream, syntax, options, excludeFileMeta);
            await encoder.WriteAsync(dataset, async, ct).ConfigureAwait(false);
            return;
        }

        // PS3.5 A.5: the data set, encoded in explicit VR little endian, compressed with raw deflate (RFC 1951,
        // no zlib header); disposing the DeflateStream writes the final block.
        var deflate = new DeflateStream(stream, options.DeflateLevel, leaveOpen: true);
        try
        {
            using var encoder = new DicomEncoder(deflate, syntax, options, excludeFileMeta);
            await encoder.WriteAsync(dataset, async, ct).ConfigureAwait(false);
        }
        finally
        {
            if (async)
            {
                await deflate.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                deflate.Dispose();
            }
        }
    }

    /// <summary>Completes a <see cref="ValueTask"/> produced with <c>async: false</c>, which has always completed.</summary>
    internal static void RunSynchronously(ValueTask task)
    {
        Debug.Assert(task.IsCompleted, "A synchronous write went asynchronous.");
        task.GetAwaiter().GetResult();
    }
}
