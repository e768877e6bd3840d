using System.Buffers;

namespace DicomArchive.Dicom;

/// <summary>
/// Writes DICOM files (PS3.10 7.1): the 128-byte preamble, "DICM", the File Meta Information in explicit VR little
/// endian with a computed (0002,0000) group length, then the data set in its transfer syntax.
/// </summary>
public static class DicomFileWriter
{
    private const int PreambleLength = 128;

    /// <summary>Writes <paramref name="file"/> in its own transfer syntax (<see cref="DicomFile.TransferSyntax"/>).</summary>
    /// <exception cref="ArgumentException">The SOP class or instance UID is in neither the meta information nor the data set.</exception>
    /// <exception cref="NotSupportedException">See <see cref="DicomDatasetWriter.WriteAsync"/>.</exception>
    public static Task WriteAsync(Stream stream, DicomFile file, DicomWriterOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return WriteAsync(stream, file, file.TransferSyntax, options, ct);
    }

    /// <summary>Writes <paramref name="file"/> with its data set in <paramref name="syntax"/> (a conversion when it differs).</summary>
    /// <exception cref="ArgumentException">The SOP class or instance UID is in neither the meta information nor the data set.</exception>
    /// <exception cref="NotSupportedException">See <see cref="DicomDatasetWriter.WriteAsync"/>.</exception>
    public static async Task WriteAsync(
        Stream stream, DicomFile file, TransferSyntax syntax, DicomWriterOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(syntax);
        var meta = DicomFileMetaInformation.Complete(file, syntax);
        var preamble = file.Preamble.Length == PreambleLength ? file.Preamble : default;
        await WriteFileHeaderCoreAsync(stream, meta, preamble, true, ct).ConfigureAwait(false);
        await DicomDatasetWriter.WriteCoreAsync(
            stream, file.Dataset, syntax, options ?? DicomWriterOptions.Default, excludeFileMeta: true, async: true, ct)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Saves <paramref name="file"/> in its own transfer syntax; see
    /// <see cref="SaveAsync(string, DicomFile, TransferSyntax, DicomWriterOptions?, CancellationToken)"/>.
    /// </summary>
    public static Task SaveAsync(string path, DicomFile file, DicomWriterOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return SaveAsync(path, file, file.TransferSyntax, options, ct);
    }

    /// <summary>
    /// Saves <paramref name="file"/> to <paramref name="path"/>. The bytes go to a temporary file next to it that is
    /// renamed over <paramref name="path"/> once complete, so the path never holds a half-written file.
    /// </summary>
    public static async Task SaveAsync(
        string path, DicomFile file, TransferSyntax syntax, DicomWriterOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(file);
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await WriteAsync(stream, file, syntax, options, ct).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Writes the preamble (zeros when <paramref name="preamble"/> is empty), "DICM" and <paramref name="meta"/> with a
    /// computed (0002,0000), and nothing else: the header in front of data set bytes received over the network.
    /// </summary>
    /// <exception cref="ArgumentException">A preamble that is not 128 bytes, or an element outside group 0002.</exception>
    public static void WriteFileHeader(IBufferWriter<byte> output, DicomDataset meta, ReadOnlyMemory<byte> preamble = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(meta);
        using var stream = new BufferWriterStream(output);
        DicomDatasetWriter.RunSynchronously(WriteFileHeaderCoreAsync(stream, meta, preamble, false, default));
    }

    /// <inheritdoc cref="WriteFileHeader"/>
    public static async Task WriteFileHeaderAsync(
        Stream stream, DicomDataset meta, ReadOnlyMemory<byte> preamble = default, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(meta);
        await WriteFileHeaderCoreAsync(stream, meta, preamble, true, ct).ConfigureAwait(false);
    }

    private static async ValueTask WriteFileHeaderCoreAsync(
        Stream stream, DicomDataset meta, ReadOnlyMemory<byte> preamble, bool async, CancellationToken ct)
    {
        if (preamble.Length is not (0 or PreambleLength))
        {
            throw new ArgumentException(
                $"The preamble is {preamble.Length} bytes; PS3.10 7.1 fixes it at {PreambleLength}.", nameof(preamble));
        }

        // PS3.10 7.1: (0002,0000) first, counting every byte of the group after it.
        var group = new DicomDataset();
        group.AddOrUpdate(DicomTag.FileMetaInformationGroupLength, DicomVR.UL, 0L);
        foreach (var element in meta)
        {
            if (element.Tag.Group != 0x0002)
            {
                throw new ArgumentException($"{element.Tag} is not a File Meta Information element (group 0002).", nameof(meta));
            }

            if (!element.Tag.IsGroupLength)
            {
                group.Add(element);
            }
        }

        var prefix = new byte[PreambleLength + 4];
        preamble.Span.CopyTo(prefix);
        "DICM"u8.CopyTo(prefix.AsSpan(PreambleLength));
        if (async)
        {
            await stream.WriteAsync(prefix, ct).ConfigureAwait(false);
        }
        else
        {
            stream.Write(prefix);
        }

        using var encoder = new DicomEncoder(stream, TransferSyntax.ExplicitVRLittleEndian, MetaOptions, excludeFileMeta: false);
        await encoder.WriteAsync(group, async, ct).ConfigureAwait(false);
    }

    private static readonly DicomWriterOptions MetaOptions = new() { GroupLength = DicomGroupLengthMode.Recalculate };
}
