using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Transport;
using DicomArchive.Storage;

namespace DicomArchive.Service.Retrieve;

/// <summary>
/// Hands the data set of a stored file to a C-STORE sender as a stream, never whole in memory: in its stored syntax
/// the bytes after the File Meta Information are read straight from the file; in another (uncompressed) syntax the
/// file is converted element by element into a pipe the sender reads from (PS3.7 9.3.1: the data set without meta).
/// </summary>
internal static class StoredInstanceSource
{
    private static readonly DicomReaderOptions MetaOnly = DicomReaderOptions.FileMetaInformationOnly;

    /// <summary>Opens the file of <paramref name="instance"/> and calls <paramref name="send"/> with its data set in <paramref name="target"/>.</summary>
    /// <exception cref="IOException">The file cannot be read (before anything was sent).</exception>
    /// <exception cref="DicomContentException">The file is not the DICOM file the index describes (before anything was sent).</exception>
    public static async Task<T> SendAsync<T>(StoredInstance instance, TransferSyntax target, Func<Stream, Task<T>> send, CancellationToken ct)
    {
        // Positional reads on this thread, and PDataSender reads the data set straight into the PDUs it sends.
        var file = PositionalFileStream.OpenRead(instance.FullPath);
        await using (file.ConfigureAwait(false))
        {
            var meta = await DicomFileReader.ReadAsync(file, MetaOnly, ct).ConfigureAwait(false);
            var stored = meta.TransferSyntax;
            if (!string.Equals(stored.Uid, instance.TransferSyntaxUid, StringComparison.Ordinal))
            {
                throw new DicomContentException(
                    $"The file is in {stored.Uid}, the index says {instance.TransferSyntaxUid}; run the reindex verb", 0);
            }

            if (stored.Equals(target) && !stored.IsDeflated)
            {
                // The reader left the stream at the first data set element (deflated data sets are read ahead).
                return await send(file).ConfigureAwait(false);
            }

            file.Position = 0;
            return await DicomConvertedDataset.UseAsync(file, target, send, ct).ConfigureAwait(false);
        }
    }
}
