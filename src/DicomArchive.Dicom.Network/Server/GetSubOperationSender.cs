using DicomArchive.Dicom.Network.Association;
using DicomArchive.Dicom.Network.Dimse;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>Sends the C-STORE sub-operations of a C-GET on the association the C-GET arrived on (PS3.4 C.4.3).</summary>
internal sealed class GetSubOperationSender : IGetSubOperationSender
{
    readonly AssociationChannel _channel;
    readonly TimeSpan _timeout;
    ushort _nextMessageId = 1;

    readonly ushort _getMessageId;

    public GetSubOperationSender(AssociationChannel channel, TimeSpan timeout, ushort getMessageId)
    {
        _channel = channel;
        _timeout = timeout;
        _getMessageId = getMessageId;
    }

    /// <summary>Set when a C-CANCEL-RQ for the C-GET arrived while a sub-operation was running (PS3.4 C.4.3.2).</summary>
    public bool CancelRequested { get; private set; }

    public async ValueTask<DimseStatus> StoreAsync(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, Stream dataSet,
        CancellationToken cancellationToken)
    {
        PresentationContext? context = null;
        foreach (PresentationContext pc in _channel.Contexts.Values)
        {
            if (pc.IsAccepted && pc.AbstractSyntax == sopClassUid && pc.TransferSyntax == transferSyntaxUid)
            {
                context = pc;
                break;
            }
        }

        if (context is null)
        {
            // PS3.4 C.4.3.3.1: no context for this SOP class/syntax: the sub-operation fails.
            return DimseStatus.SopClassNotSupported;
        }

        ushort messageId = _nextMessageId++;
        DimseCommand request = DimseCommand.CreateStoreRequest(messageId, sopClassUid, sopInstanceUid);
        await _channel.SendMessageAsync(context.Id, request, null, dataSet, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            (byte ContextId, DimseCommand Command)? message = await _channel.ReceiveCommandAsync(_timeout, cancellationToken).ConfigureAwait(false);
            if (message is not { } m)
            {
                throw await _channel.ProtocolErrorAsync(Pdus.AbortReason.UnexpectedPdu, "A-RELEASE-RQ during a C-GET").ConfigureAwait(false);
            }

            if (m.Command.CommandField == DimseCommandField.CStoreRsp && m.Command.MessageIdBeingRespondedTo == messageId)
            {
                return m.Command.Status ?? DimseStatus.ProcessingFailure;
            }

            if (m.Command.CommandField == DimseCommandField.CCancelRq && m.Command.MessageIdBeingRespondedTo == _getMessageId)
            {
                CancelRequested = true;
            }

            // Anything else is not allowed while the C-GET runs (asynchronous operations window 1): its data is dropped.
            if (m.Command.HasDataSet)
            {
                await _channel.OpenDataSet(m.ContextId, _timeout, cancellationToken).DrainAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
