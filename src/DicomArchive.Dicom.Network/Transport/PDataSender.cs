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
