using System.IO.Compression;

namespace DicomArchive.Dicom;

/// <summary>
/// Converts data sets and files between the uncompressed transfer syntaxes (Implicit VR Little Endian, Explicit VR
/// Little Endian, Explicit VR Big Endian, Deflated Explicit VR Little Endian) by streaming, element by element:
/// memory stays constant whatever the size of the object, which is what C-MOVE/C-GET need when a peer does not
/// accept the stored syntax. The output uses undefined lengths for every sequence and item and leaves out group
/// lengths other than the file meta group's, all of which the standard allows (PS3.5 7.2, 7.5.1). An encapsulated
/// (compressed) syntax converts only to itself, as a copy: changing it needs a codec, which this implementation lacks.
/// To convert a data set already in memory, write it with <see cref="DicomDatasetWriter"/> in the other syntax.
/// </summary>
public static class DicomTranscoder
{
    /// <summary>
    /// Reads a data set in <paramref name="sourceSyntax"/> from <paramref name="source"/> to its end and writes it to
    /// <paramref name="destination"/> in <paramref name="destinationSyntax"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">A conversion from or to an encapsulated syntax other than a copy.</exception>
    /// <exception cref="DicomContentException">The source is not a valid data set in <paramref name="sourceSyntax"/>.</exception>
    public static async Task ConvertAsync(
        Stream source,
        TransferSyntax sourceSyntax,
        Stream destination,
        TransferSyntax destinationSyntax,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sourceSyntax);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(destinationSyntax);
        if (sourceSyntax.Equals(destinationSyntax))
        {
            await source.CopyToAsync(destination, ct).ConfigureAwait(false);
            return;
        }

        EnsureConvertible(sourceSyntax, destinationSyntax);
        using var transcoder = new DicomStreamTranscoder(sourceSyntax.IsDeflated ? Inflate(source) : source);
        await ConvertRestAsync(transcoder, sourceSyntax, destination, destinationSyntax, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Converts a DICOM file (PS3.10 7.1) read from <paramref name="source"/> into a file in
    /// <paramref name="destinationSyntax"/>: the preamble and meta information are kept, with (0002,0010) naming the new
    /// syntax and (0002,0012)/(0002,0013) this implementation, and the group length recomputed.
    /// </summary>
    /// <returns>The transfer syntax the source file was in.</returns>
    /// <exception cref="NotSupportedException">A conversion from or to an encapsulated syntax other than a copy.</exception>
    /// <exception cref="DicomContentException">The source is not a valid DICOM file.</exception>
    public static Task<TransferSyntax> ConvertFileAsync(
        Stream source, Stream destination, TransferSyntax destinationSyntax, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(destinationSyntax);
        return ConvertFileCoreAsync(source, destination, destinationSyntax, writeFileHeader: true, ct);
    }

    /// <summary>
    /// Reads a DICOM file (PS3.10 7.1) from <paramref name="source"/> and writes only its data set, in
    /// <paramref name="destinationSyntax"/>, to <paramref name="destination"/>: what a C-STORE request carries when
    /// a stored file is sent (C-MOVE, C-GET) in the syntax the peer accepted (PS3.7 9.3.1).
    /// </summary>
    /// <returns>The transfer syntax the source file was in.</returns>
    /// <exception cref="NotSupportedException">A conversion from or to an encapsulated syntax other than a copy.</exception>
    /// <exception cref="DicomContentException">The source is not a valid DICOM file.</exception>
    public static Task<TransferSyntax> WriteFileDatasetAsync(
        Stream source, Stream destination, TransferSyntax destinationSyntax, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(destinationSyntax);
        return ConvertFileCoreAsync(source, destination, destinationSyntax, writeFileHeader: false, ct);
    }

    private static async Task<TransferSyntax> ConvertFileCoreAsync(
        Stream source, Stream destination, TransferSyntax destinationSyntax, bool writeFileHeader, CancellationToken ct)
    {
        using var transcoder = new DicomStreamTranscoder(source);
        var meta = await transcoder.ReadFileMetaAsync(ct).ConfigureAwait(false);
        if (!meta.TryGetString(DicomTag.TransferSyntaxUID, out var uid) || uid.Length == 0)
        {
            throw new DicomContentException("The File Meta Information has no Transfer Syntax UID (0002,0010) (PS3.10 7.1)", 132);
        }

        var sourceSyntax = TransferSyntax.Lookup(uid);
        if (!sourceSyntax.Equals(destinationSyntax))
        {
            EnsureConvertible(sourceSyntax, destinationSyntax);
        }

        if (writeFileHeader)
        {
            meta.AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, destinationSyntax.Uid);
            meta.AddOrUpdate(DicomTag.ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid);
            meta.AddOrUpdate(DicomTag.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
            await DicomFileWriter.WriteFileHeaderAsync(destination, meta, transcoder.Preamble, ct).ConfigureAwait(false);
        }

        if (sourceSyntax.Equals(destinationSyntax))
        {
            await transcoder.CopyRestAsync(destination, ct).ConfigureAwait(false);
        }
        else if (sourceSyntax.IsDeflated)
        {
            // The transcoder has read past the meta group; the bytes it holds are the start of the deflated stream.
            using var inflated = new DicomStreamTranscoder(Inflate(new PrefixedReadStream(transcoder.TakeBuffered(), source)));
            await ConvertRestAsync(inflated, sourceSyntax, destination, destinationSyntax, ct).ConfigureAwait(false);
        }
        else
        {
            await ConvertRestAsync(transcoder, sourceSyntax, destination, destinationSyntax, ct).ConfigureAwait(false);
        }

        return sourceSyntax;
    }

    private static void EnsureConvertible(TransferSyntax sourceSyntax, TransferSyntax destinationSyntax)
    {
        if (sourceSyntax.IsEncapsulated || destinationSyntax.IsEncapsulated)
        {
            throw new NotSupportedException(
                $"Cannot convert {sourceSyntax} to {destinationSyntax}: compressed pixel data needs a codec, which this "
                + "implementation does not have; only the uncompressed syntaxes convert into each other.");
        }
    }

    private static DeflateStream Inflate(Stream source) => new(source, CompressionMode.Decompress, leaveOpen: true);

    private static async Task ConvertRestAsync(
        DicomStreamTranscoder transcoder,
        TransferSyntax sourceSyntax,
        Stream destination,
        TransferSyntax destinationSyntax,
        CancellationToken ct)
    {
        var resolveUnknownVR = DicomWriterOptions.Default.ResolveUnknownVR;
        try
        {
            if (!destinationSyntax.IsDeflated)
            {
                await transcoder.RunAsync(sourceSyntax, destination, destinationSyntax, resolveUnknownVR, ct).ConfigureAwait(false);
                return;
            }

            // PS3.5 A.5: raw deflate of the explicit VR little endian data set.
            var deflate = new DeflateStream(destination, DicomWriterOptions.Default.DeflateLevel, leaveOpen: true);
            await using (deflate.ConfigureAwait(false))
            {
                await transcoder.RunAsync(sourceSyntax, deflate, destinationSyntax, resolveUnknownVR, ct).ConfigureAwait(false);
            }
        }
        catch (InvalidDataException e)
        {
            throw new DicomContentException("The deflated data set is corrupt (RFC 1951)", transcoder.Position, e);
        }
    }
}
