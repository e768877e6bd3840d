using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Client;

/// <summary>The peer answered the A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ (PS3.8 9.3.4).</summary>
public sealed class DicomAssociationRejectedException : Exception
{
    public DicomAssociationRejectedException()
    {
    }

    public DicomAssociationRejectedException(string message)
        : base(message)
    {
    }

    public DicomAssociationRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DicomAssociationRejectedException(AAssociateRj reject)
        : base($"Association rejected: {reject}")
    {
        ArgumentNullException.ThrowIfNull(reject);
        Result = reject.Result;
        Source = reject.Source;
        Reason = reject.Reason;
    }

    public AssociateRejectResult Result { get; }

    public new AssociateRejectSource Source { get; }

    /// <summary>Reason/Diag. (see <see cref="AssociateRejectReason"/>).</summary>
    public byte Reason { get; }
}
