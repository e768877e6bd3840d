using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network;

/// <summary>
/// A protocol error that ends the association with an A-ABORT carrying <see cref="Source"/> and <see cref="Reason"/>
/// (PS3.8 9.3.8), or an abort received from the peer. Caught once, in the association loop.
/// </summary>
public sealed class DicomAbortException : Exception
{
    public DicomAbortException()
    {
    }

    public DicomAbortException(string message)
        : base(message)
    {
    }

    public DicomAbortException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DicomAbortException(AbortSource source, AbortReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Source = source;
        Reason = reason;
    }

    public new AbortSource Source { get; } = AbortSource.ServiceProvider;

    public AbortReason Reason { get; } = AbortReason.NotSpecified;

    /// <summary>Whether the abort came from the peer (an A-ABORT PDU was received) rather than from us.</summary>
    public bool ReceivedFromPeer { get; init; }
}
