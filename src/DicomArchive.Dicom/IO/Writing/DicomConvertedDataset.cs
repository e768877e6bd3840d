using System.IO.Pipelines;

namespace DicomArchive.Dicom;

/// <summary>
/// The data set of a Part 10 file, converted to another uncompressed transfer syntax, as a stream a consumer reads
/// while the conversion runs (element by element into a bounded pipe), so that a sender never holds the instance
/// whole in memory. Used where a peer accepts none of a file's own syntax: the C-STORE SCU and the C-MOVE/C-GET
/// forwarder.
/// </summary>
public static class DicomConvertedDataset
{
    private const int PauseThreshold = 256 * 1024;

    /// <summary>
    /// Calls <paramref name="consume"/> with a stream of the data set of the Part 10 file <paramref name="part10File"/>
    /// (read from its start) in <paramref name="target"/>, without File Meta Information (PS3.7 9.3.1).
    /// </summary>
    /// <exception cref="DicomContentException">The file is not valid DICOM (surfaces from the consumer's reads).</exception>
    /// <exception cref="NotSupportedException">The conversion needs a codec (compressed to uncompressed or back).</exception>
    public static async Task<T> UseAsync<T>(Stream part10File, TransferSyntax target, Func<Stream, Task<T>> consume, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(part10File);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(consume);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PauseThreshold, resumeWriterThreshold: PauseThreshold / 2));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = ProduceAsync(part10File, pipe.Writer, target, stop.Token);
        try
        {
            return await consume(pipe.Reader.AsStream(leaveOpen: true)).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    /// <summary>Converts the file into the pipe; a failure reaches the consumer as an exception from its next read.</summary>
    private static async Task ProduceAsync(Stream file, PipeWriter writer, TransferSyntax target, CancellationToken ct)
    {
        Exception? error = null;
        try
        {
            var output = writer.AsStream(leaveOpen: true);
            await using (output.ConfigureAwait(false))
            {
                await DicomTranscoder.WriteFileDatasetAsync(file, output, target, ct).ConfigureAwait(false);
                await output.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }

        await writer.CompleteAsync(error).ConfigureAwait(false);
    }
}
