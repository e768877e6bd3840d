using System.Buffers;
using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Transport;

/// <summary>
/// Fragments a DIMSE message (command or data set) into P-DATA-TF PDUs that fit the peer's maximum length
/// (PS3.8 D.1: it bounds the variable field, i.e. PDV headers included), one PDV per PDU.
/// </summary>
public static class PDataSender
{
    /// <summary>Fragment size used when the peer sets no limit (maximum length 0).</summary>
    public const int UnlimitedFragmentLength = 256 * 1024;

    /// <summary>The largest fragment that fits in one P-DATA-TF for a peer maximum length of <paramref name="peerMaxLength"/>.</summary>
    public static int MaxFragmentLength(uint peerMaxLength)
    {
        if (peerMaxLength == 0 || peerMaxLength > UnlimitedFragmentLength)
        {
            return UnlimitedFragmentLength;
        }

        // A peer max below the PDV header size would make progress impossible; PS3.8 D.1 leaves it to us.
        return Math.Max(1, (int)peerMaxLength - PresentationDataValue.HeaderLength);
    }

    /// <summary>Sends <paramref name="message"/> as fragments and flushes.</summary>
    public static async ValueTask SendAsync(PduConnection connection, byte presentationContextId, bool isCommand,
        ReadOnlyMemory<byte> message, uint peerMaxLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        int max = MaxFragmentLength(peerMaxLength);
        int offset = 0;
        do
        {
            int count = Math.Min(max, message.Length - offset);
            bool last = offset + count == message.Length;
            connection.WritePData(presentationContextId, isCommand, last, message.Span.Slice(offset, count));
            offset += count;
            if (connection.UnflushedBytes >= 64 * 1024)
            {
                await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        while (offset < message.Length);

        await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Size of the buffer in which the file path lays out whole PDUs before one write to the transport (a pooled array
    /// per sending association): a 527 KB CT image goes out in 3 send calls instead of 33 (16 KiB PDUs). Larger
    /// batches measured no cheaper (1 MiB: one send per CT image, but the buffer no longer stays in the CPU cache
    /// between the file read and the socket copy), 64 KiB slightly dearer.
    /// </summary>
    public const int FileBatchLength = 256 * 1024;

    /// <summary>
    /// Sends a command and the rest of <paramref name="file"/> (from its position to its end) as its data set. The
    /// batch buffer is laid out as whole P-DATA-TF PDUs, one PDV each, no larger than the peer's maximum (PS3.8 D.1);
    /// the file is read straight into the PDVs' value fields with one scatter read per batch, and each batch goes to
    /// the transport in one write, the command's PDUs in front of the first. Memory use is one batch whatever the
    /// data set size.
    /// </summary>
    /// <exception cref="IOException">The file ended before its length (it changed while sent), or the transport failed.</exception>
    public static async ValueTask SendCommandAndFileAsync(PduConnection connection, byte presentationContextId, ReadOnlyMemory<byte> command,
        PositionalFileStream file, uint peerMaxLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(file);
        const int overhead = Pdu.HeaderLength + PresentationDataValue.HeaderLength;
        int max = MaxFragmentLength(peerMaxLength);
        int commandPdus = Math.Max(1, (command.Length + max - 1) / max);
        int commandBytes = (commandPdus * overhead) + command.Length;
        int slots = Math.Max(1, (FileBatchLength - commandBytes) / (max + overhead));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(FileBatchLength, commandBytes + (slots * (max + overhead))));
        var targets = new List<Memory<byte>>(slots);
        try
        {
            // PS3.8 E.2: the command's fragments, the last with its last-fragment bit, precede the data set's.
            int used = 0;
            int commandOffset = 0;
            do
            {
                int count = Math.Min(max, command.Length - commandOffset);
                bool last = commandOffset + count == command.Length;
                PDataTf.WriteSinglePdvHeader(buffer.AsSpan(used), presentationContextId, isCommand: true, last, count);
                command.Span.Slice(commandOffset, count).CopyTo(buffer.AsSpan(used + overhead));
                used += overhead + count;
                commandOffset += count;
            }
            while (commandOffset < command.Length);

            long offset = file.Position;
            long remaining = Math.Max(0, file.Length - offset);
            if (remaining == 0)
            {
                // An empty data set is still one (empty) last fragment.
                PDataTf.WriteSinglePdvHeader(buffer.AsSpan(used), presentationContextId, isCommand: false, isLastFragment: true, 0);
                await connection.WriteEncodedPdusAsync(buffer.AsMemory(0, used + overhead), cancellationToken).ConfigureAwait(false);
                return;
            }

            while (remaining > 0)
            {
                targets.Clear();
                long wanted = 0;
                for (int i = 0; i < slots && remaining > wanted; i++)
                {
                    int count = (int)Math.Min(max, remaining - wanted);
                    bool last = wanted + count == remaining;
                    PDataTf.WriteSinglePdvHeader(buffer.AsSpan(used), presentationContextId, isCommand: false, last, count);
                    targets.Add(buffer.AsMemory(used + overhead, count));
                    used += overhead + count;
                    wanted += count;
                }

                long read = await file.ReadScatterAsync(targets, offset, cancellationToken).ConfigureAwait(false);
                if (read != wanted)
                {
                    throw new IOException($"The file ended at {offset + read} bytes, before its length {file.Length}");
                }

                await connection.WriteEncodedPdusAsync(buffer.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
                offset += read;
                remaining -= read;
                file.Position = offset;
                used = 0;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Streams a data set from <paramref name="source"/> to the peer as it is read: one fragment is read ahead so the
    /// last one can carry the last-fragment bit (PS3.8 E.2). Memory use is two fragments whatever the data set size.
    /// </summary>
    public static async ValueTask SendStreamAsync(PduConnection connection, byte presentationContextId, Stream source,
        uint peerMaxLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(source);
        int max = MaxFragmentLength(peerMaxLength);
        byte[] current = ArrayPool<byte>.Shared.Rent(max);
        byte[] next = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            int currentCount = await source.ReadAtLeastAsync(current.AsMemory(0, max), max, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            while (true)
            {
                int nextCount = currentCount < max
                    ? 0
                    : await source.ReadAtLeastAsync(next.AsMemory(0, max), max, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                bool last = nextCount == 0;
                connection.WritePData(presentationContextId, isCommand: false, last, current.AsSpan(0, currentCount));
                if (last)
                {
                    break;
                }

                if (connection.UnflushedBytes >= 64 * 1024)
                {
                    await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                (current, next) = (next, current);
                currentCount = nextCount;
            }

            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }
}
