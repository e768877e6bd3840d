using System.Buffers;
using System.IO.Pipelines;
using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Transport;

/// <summary>
/// Reads and writes whole PDUs on a transport stream through System.IO.Pipelines. What is received is bounded by our
/// maximum length (checked on the header, before the body is buffered); what is sent is written as given — the caller
/// fragments P-DATA to the peer's maximum (<see cref="PDataSender"/>).
/// </summary>
public sealed class PduConnection : IAsyncDisposable
{
    readonly Stream _stream;
    readonly PipeReader _reader;
    readonly PipeWriter _writer;
    readonly int _maxPDataLength;
    byte[]? _pDataBuffer;

    /// <param name="stream">The transport (a <see cref="System.Net.Sockets.NetworkStream"/> in production).</param>
    /// <param name="maxPDataLength">Our maximum P-DATA-TF variable field length (PS3.8 D.1).</param>
    public PduConnection(Stream stream, int maxPDataLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPDataLength, 8);
        _stream = stream;
        _maxPDataLength = maxPDataLength;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: Math.Min(maxPDataLength + Pdu.HeaderLength, 64 * 1024),
            minimumReadSize: 1024, leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
    }

    public int MaxPDataLength => _maxPDataLength;

    /// <summary>
    /// Reads the next PDU. A P-DATA-TF's fragments refer to a buffer owned by this connection and stay valid until
    /// the next call. Returns null when the peer closed the connection cleanly between PDUs.
    /// </summary>
    /// <exception cref="DicomAbortException">Unknown PDU type or declared length over our limits.</exception>
    /// <exception cref="DicomContentException">The PDU's body is malformed.</exception>
    /// <exception cref="EndOfStreamException">The connection closed in the middle of a PDU.</exception>
    public async ValueTask<Pdu?> ReadPduAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition consumed = buffer.Start;
            SequencePosition examined = buffer.End;
            try
            {
                if (PduFrameReader.TryReadPdu(ref buffer, _maxPDataLength, out PduType type, out ReadOnlySequence<byte> body))
                {
                    consumed = buffer.Start;
                    examined = consumed;
                    return Decode(type, body);
                }

                if (result.IsCompleted)
                {
                    if (buffer.IsEmpty)
                    {
                        return null;
                    }

                    throw new EndOfStreamException($"The connection closed inside a PDU ({buffer.Length} bytes pending)");
                }

                if (result.IsCanceled)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }
            finally
            {
                _reader.AdvanceTo(consumed, examined);
            }
        }
    }

    Pdu Decode(PduType type, ReadOnlySequence<byte> body)
    {
        int length = (int)body.Length;
        if (type == PduType.PDataTf)
        {
            // Copy into a buffer we own so the pipe can be advanced; it is bounded by our maximum length.
            if (_pDataBuffer is null || _pDataBuffer.Length < length)
            {
                if (_pDataBuffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(_pDataBuffer);
                }

                _pDataBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1024));
            }

            body.CopyTo(_pDataBuffer);
            return PDataTf.Decode(_pDataBuffer.AsMemory(0, length));
        }

        if (body.IsSingleSegment)
        {
            return PduDecoder.Decode(type, body.First);
        }

        byte[] copy = body.ToArray();
        return PduDecoder.Decode(type, copy);
    }

    /// <summary>
    /// Whether received bytes are waiting (buffered or on the socket), so a read would not block: lets a busy sender
    /// notice a C-CANCEL-RQ between responses without a second reader.
    /// </summary>
    public bool InputAvailable
    {
        get
        {
            if (_reader.TryRead(out ReadResult result))
            {
                bool available = !result.Buffer.IsEmpty || result.IsCompleted;
                _reader.AdvanceTo(result.Buffer.Start);
                if (available)
                {
                    return true;
                }
            }

            return _stream is System.Net.Sockets.NetworkStream network && network.DataAvailable;
        }
    }

    /// <summary>Writes one PDU and flushes it.</summary>
    public async ValueTask WritePduAsync(Pdu pdu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        pdu.Write(_writer);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a P-DATA-TF holding one PDV with <paramref name="fragment"/>, without flushing.</summary>
    public void WritePData(byte presentationContextId, bool isCommand, bool isLastFragment, ReadOnlySpan<byte> fragment)
    {
        const int headers = Pdu.HeaderLength + PresentationDataValue.HeaderLength;
        Span<byte> span = _writer.GetSpan(headers + fragment.Length);
        PDataTf.WriteSinglePdvHeader(span, presentationContextId, isCommand, isLastFragment, fragment.Length);
        fragment.CopyTo(span[headers..]);
        _writer.Advance(headers + fragment.Length);
    }

    /// <summary>
    /// Writes bytes that already hold whole PDUs (laid out by <see cref="PDataSender"/>) straight to the transport, in
    /// one write: no copy into the pipe, and one send call for many PDUs. Anything written earlier is flushed first, so
    /// the order on the wire is kept.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled while the peer was not reading.</exception>
    /// <exception cref="IOException">The transport failed.</exception>
    public async ValueTask WriteEncodedPdusAsync(ReadOnlyMemory<byte> pdus, CancellationToken cancellationToken)
    {
        if (UnflushedBytes > 0)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        await _stream.WriteAsync(pdus, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushes what was written; throws when cancelled (a pipe reports that as a result, not an exception).</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled while the peer was not reading.</exception>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        FlushResult result = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("The flush was cancelled", cancellationToken);
        }

        if (result.IsCompleted)
        {
            throw new IOException("The transport no longer accepts data");
        }
    }

    /// <summary>Number of bytes written but not yet flushed.</summary>
    public long UnflushedBytes => _writer.CanGetUnflushedBytes ? _writer.UnflushedBytes : 0;

    /// <summary>
    /// Closes the transport first, then completes the pipes: everything we send is flushed as it is written, so what a
    /// pipe still holds here is for a peer that stopped reading, and must not block the close.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The transport is already closed.
        }

        if (_pDataBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_pDataBuffer);
            _pDataBuffer = null;
        }
    }
}
