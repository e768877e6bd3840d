using DicomArchive.Dicom.Network.Association;
using DicomArchive.Dicom.Network.Dimse;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>A DIMSE request as a service handler sees it: the command, its presentation context and the association.</summary>
public class DimseRequest
{
    internal DimseRequest(DicomAssociationInfo association, PresentationContext presentationContext, DimseCommand command)
    {
        Association = association;
        PresentationContext = presentationContext;
        Command = command;
    }

    public DicomAssociationInfo Association { get; }

    public PresentationContext PresentationContext { get; }

    public DimseCommand Command { get; }

    /// <summary>The transfer syntax of the data set (the presentation context's, PS3.8 7.1.1.13).</summary>
    public string TransferSyntaxUid => PresentationContext.TransferSyntax ?? DicomNetworkUids.ImplicitVRLittleEndian;

    public ushort MessageId => Command.MessageId ?? 0;
}

/// <summary>A C-STORE request (PS3.7 9.1.1).</summary>
public sealed class StoreRequest : DimseRequest
{
    internal StoreRequest(DicomAssociationInfo association, PresentationContext presentationContext, DimseCommand command)
        : base(association, presentationContext, command)
    {
    }

    public string SopClassUid => Command.AffectedSopClassUid ?? string.Empty;

    public string SopInstanceUid => Command.AffectedSopInstanceUid ?? string.Empty;

    public DimsePriority Priority => Command.Priority ?? DimsePriority.Medium;

    /// <summary>The AE that asked for this store with a C-MOVE (PS3.7 9.1.1.1), if any.</summary>
    public string? MoveOriginatorAeTitle => Command.MoveOriginatorAeTitle;

    public ushort? MoveOriginatorMessageId => Command.MoveOriginatorMessageId;
}
