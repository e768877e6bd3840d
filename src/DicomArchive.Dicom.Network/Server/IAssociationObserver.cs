using System.Net;
using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>Told of every association decision (for an audit trail); called on the association's task, so it must be quick.</summary>
public interface IAssociationObserver
{
    void AssociationAccepted(DicomAssociationInfo association);

    /// <summary>
    /// An A-ASSOCIATE-RJ was sent; <paramref name="denialReason"/> says why the permissions check refused the caller,
    /// when that was the cause (null otherwise).
    /// </summary>
    void AssociationRejected(string callingAeTitle, string calledAeTitle, EndPoint? remoteEndPoint, AAssociateRj reject, string? denialReason);
}
