using DicomArchive.Dicom;

namespace DicomArchive.Storage;

public sealed partial class InstanceStore
{
    // Stop at the first data set element: only the meta information is needed to start an import.
    private static readonly DicomReaderOptions MetaOnly = DicomReaderOptions.FileMetaInformationOnly;

    /// <summary>
    /// Imports an existing Part 10 file through the same ingest path as a C-STORE (the <c>import</c> verb): the SOP
    /// Class/Instance and transfer syntax come from its meta information, its data set bytes are copied unchanged
    /// behind our meta header, then checked, stored and indexed with the same statuses and duplicate policy.
    /// </summary>
    /// <param name="path">The file to import.</param>
    /// <param name="sourceAe">Recorded as the calling AE; empty takes the file's Source AE Title (0002,0016).</param>
    /// <param name="ct">Cancels the import; nothing is left behind.</param>
    public async Task<StoreResult> ImportFileAsync(string path, string sourceAe = "", CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        await using (source.ConfigureAwait(false))
        {
            DicomFile file;
            try
            {
                file = await DicomFileReader.ReadAsync(source, MetaOnly, ct).ConfigureAwait(false);
            }
            catch (DicomContentException ex)
            {
                return StoreResult.Failure(StoreStatus.CannotUnderstand, "Not a DICOM file: " + (ex.Reason ?? ex.Message));
            }

            var meta = file.FileMetaInformation;
            var context = new StoreContext(
                meta.GetString(DicomTag.MediaStorageSOPClassUID),
                meta.GetString(DicomTag.MediaStorageSOPInstanceUID),
                meta.GetString(DicomTag.TransferSyntaxUID),
                sourceAe.Length > 0 ? sourceAe : meta.GetString(DicomTag.SourceApplicationEntityTitle).Trim(),
                "",
                "import");
            var datasetOffset = DatasetOffset(file, source);
            if (meta.Count == 0 || context.TransferSyntaxUid.Length == 0)
            {
                // Old archives hold bare data sets (no meta information, or one without a transfer syntax): take the
                // UIDs from the data set and the syntax the reader detected from its first element.
                context = await ContextFromDatasetAsync(context, source, ct).ConfigureAwait(false);
                datasetOffset = meta.Count == 0 ? (file.HasPreamble ? 132 : 0) : datasetOffset;
            }

            if (datasetOffset < 0 || context.SopClassUid.Length == 0 || context.SopInstanceUid.Length == 0 || context.TransferSyntaxUid.Length == 0)
            {
                return StoreResult.Failure(StoreStatus.CannotUnderstand, "No usable File Meta Information (PS3.10 7.1)");
            }

            var incoming = await BeginStoreAsync(context, ct).ConfigureAwait(false);
            await using (incoming.ConfigureAwait(false))
            {
                if (incoming.Refusal is not null)
                {
                    return incoming.Refusal;
                }

                source.Seek(datasetOffset, SeekOrigin.Begin);
                await source.CopyToAsync(incoming.Stream, 64 * 1024, ct).ConfigureAwait(false);
                return await incoming.CommitAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task<StoreContext> ContextFromDatasetAsync(StoreContext context, FileStream source, CancellationToken ct)
    {
        source.Seek(0, SeekOrigin.Begin);
        DicomFile file;
        try
        {
            file = await DicomFileReader.ReadAsync(source, new DicomReaderOptions { StopBeforeTag = DicomTag.PixelData }, ct).ConfigureAwait(false);
        }
        catch (DicomContentException)
        {
            return context with { TransferSyntaxUid = "" };
        }

        return context with
        {
            SopClassUid = context.SopClassUid.Length > 0 ? context.SopClassUid : file.Dataset.GetString(DicomTag.SOPClassUID),
            SopInstanceUid = context.SopInstanceUid.Length > 0 ? context.SopInstanceUid : file.Dataset.GetString(DicomTag.SOPInstanceUID),
            TransferSyntaxUid = file.TransferSyntax.Uid,
        };
    }

    /// <summary>
    /// Where the data set starts: after the group length's count of meta bytes (PS3.10 7.1), or where the reader
    /// stopped (before the first data set element) when the group length is missing; -1 when unknown.
    /// </summary>
    private static long DatasetOffset(DicomFile file, FileStream source)
    {
        var prefix = file.HasPreamble ? 132L : 0L;
        if (file.FileMetaInformation.TryGetInt64(DicomTag.FileMetaInformationGroupLength, out var groupLength) && groupLength >= 0)
        {
            // (0002,0000) UL itself is 12 bytes in explicit VR little endian.
            var offset = prefix + 12 + groupLength;
            return offset <= source.Length ? offset : -1;
        }

        return file.TransferSyntax.IsDeflated ? -1 : source.Position;
    }
}
