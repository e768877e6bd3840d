using DicomArchive.Dicom;

namespace DicomArchive.Storage.Header;

/// <summary>Reads the header of a stored or received Part 10 file with the shared streaming reader.</summary>
internal static class StoredFileReader
{
    /// <summary>
    /// Up to (not including) Pixel Data; values over 64 KB (overlays, waveforms, private blobs) stay in the file as
    /// references, so a header read costs the same for a 2 KB and a 2 GB instance.
    /// </summary>
    private static readonly DicomReaderOptions HeaderOptions = new()
    {
        StopBeforeTag = DicomTag.PixelData,
        BulkDataThreshold = 64 * 1024,
    };

    /// <summary>Reads the file meta information and the data set header from the start of <paramref name="stream"/>.</summary>
    /// <exception cref="DicomContentException">The bytes are not a readable DICOM file.</exception>
    public static async Task<DicomFile> ReadHeaderAsync(Stream stream, CancellationToken ct)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var file = await DicomFileReader.ReadAsync(stream, HeaderOptions, ct).ConfigureAwait(false);
        if (!file.HasPreamble)
        {
            throw new DicomContentException("Not a Part 10 file (no DICM prefix)", 128);
        }

        return file;
    }

    /// <summary>The same read from a whole file held in memory (a small received instance); values are copied.</summary>
    /// <exception cref="DicomContentException">The bytes are not a readable DICOM file.</exception>
    public static DicomFile ReadHeader(ReadOnlyMemory<byte> wholeFile)
    {
        var file = DicomFileReader.Read(wholeFile, HeaderOptions);
        if (!file.HasPreamble)
        {
            throw new DicomContentException("Not a Part 10 file (no DICM prefix)", 128);
        }

        return file;
    }
}
