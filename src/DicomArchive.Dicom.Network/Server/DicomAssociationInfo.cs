using System.Net;
using DicomArchive.Dicom.Network.Association;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>What a service handler may know about the association a request arrived on.</summary>
public sealed class DicomAssociationInfo
{
    internal DicomAssociationInfo(string callingAeTitle, string calledAeTitle, EndPoint? remoteEndPoint,
        IReadOnlyDictionary<byte, PresentationContext> presentationContexts)
    {
        CallingAeTitle = callingAeTitle;
        CalledAeTitle = calledAeTitle;
        RemoteEndPoint = remoteEndPoint;
        RemoteAddress = remoteEndPoint?.ToString() ?? "";
        PresentationContexts = presentationContexts;
    }

    public string CallingAeTitle { get; }

    public string CalledAeTitle { get; }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The remote end point as text ("" when unknown), formatted once: logs and the index name it per message.</summary>
    public string RemoteAddress { get; }

    public IReadOnlyDictionary<byte, PresentationContext> PresentationContexts { get; }
}
