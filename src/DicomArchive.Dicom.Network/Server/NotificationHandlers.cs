using DicomArchive.Dicom.Network.Dimse;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>The answer to an N-ACTION-RQ (PS3.7 10.1.4.1.7-10): a status and, optionally, the Action Reply data set.</summary>
public readonly record struct ActionResult(DimseStatus Status, ReadOnlyMemory<byte>? ActionReply = null);

/// <summary>An N-EVENT-REPORT to send (PS3.7 10.1.1.1): the SOP instance, the Event Type ID and the Event Information data set.</summary>
/// <param name="SopClassUid">Affected SOP Class UID (0000,0002).</param>
/// <param name="SopInstanceUid">Affected SOP Instance UID (0000,1000).</param>
/// <param name="EventTypeId">Event Type ID (0000,1002).</param>
/// <param name="EventInformation">The Event Information data set, encoded in the transfer syntax of the context it goes on.</param>
public sealed record EventReport(string SopClassUid, string SopInstanceUid, ushort EventTypeId, ReadOnlyMemory<byte> EventInformation);

/// <summary>
/// Lets an N-ACTION handler send an N-EVENT-REPORT-RQ on the same association after the N-ACTION-RSP (PS3.4 J.3.3: the
/// Storage Commitment SCP may report on the association of the request while it is open).
/// </summary>
public interface IEventReportScheduler
{
    /// <summary>
    /// Schedules <paramref name="produce"/> to run on the association after the N-ACTION-RSP has been sent. When it
    /// returns a report (encode it with <paramref name="produce"/>'s transfer syntax argument), the report is sent as an
    /// N-EVENT-REPORT-RQ and the N-EVENT-REPORT-RSP awaited. <paramref name="completed"/> then learns the status of the
    /// response, or null when the report could not be delivered (the peer released or aborted first, or timed out):
    /// the caller must then deliver it on a new association.
    /// </summary>
    void Schedule(Func<string, CancellationToken, ValueTask<EventReport?>> produce, Func<DimseStatus?, ValueTask> completed);
}

/// <summary>An N-ACTION request (PS3.7 10.1.4.1).</summary>
public sealed class ActionRequest : DimseRequest
{
    internal ActionRequest(DicomAssociationInfo association, Association.PresentationContext presentationContext, DimseCommand command)
        : base(association, presentationContext, command)
    {
    }

    /// <summary>Requested SOP Class UID (0000,0003).</summary>
    public string SopClassUid => Command.RequestedSopClassUid ?? string.Empty;

    /// <summary>Requested SOP Instance UID (0000,1001).</summary>
    public string SopInstanceUid => Command.RequestedSopInstanceUid ?? string.Empty;

    /// <summary>Action Type ID (0000,1008).</summary>
    public ushort ActionTypeId => Command.ActionTypeId ?? 0;
}

/// <summary>An N-EVENT-REPORT request received (PS3.7 10.1.1.1).</summary>
public sealed class EventReportRequest : DimseRequest
{
    internal EventReportRequest(DicomAssociationInfo association, Association.PresentationContext presentationContext, DimseCommand command)
        : base(association, presentationContext, command)
    {
    }

    /// <summary>Affected SOP Class UID (0000,0002).</summary>
    public string SopClassUid => Command.AffectedSopClassUid ?? string.Empty;

    /// <summary>Affected SOP Instance UID (0000,1000).</summary>
    public string SopInstanceUid => Command.AffectedSopInstanceUid ?? string.Empty;

    /// <summary>Event Type ID (0000,1002).</summary>
    public ushort EventTypeId => Command.EventTypeId ?? 0;
}

/// <summary>N-ACTION as the SCP (PS3.7 10.1.4), e.g. Storage Commitment Push Model (PS3.4 J.3).</summary>
public interface IActionHandler
{
    /// <summary>The SOP classes whose contexts the server accepts for N-ACTION.</summary>
    IReadOnlyCollection<string> SopClassUids { get; }

    /// <summary>
    /// Performs an action. <paramref name="actionInformation"/> is the Action Information data set in the request's
    /// transfer syntax (empty when none was sent). <paramref name="scheduler"/> sends event reports on this association
    /// after the response.
    /// </summary>
    ValueTask<ActionResult> OnActionAsync(ActionRequest request, ReadOnlyMemory<byte> actionInformation, IEventReportScheduler scheduler,
        CancellationToken cancellationToken);
}

/// <summary>
/// N-EVENT-REPORT as the receiver (PS3.7 10.1.1): the side that asked for a Storage Commitment receives the result on an
/// association the SCP opens (PS3.4 J.3.3, SCP/SCU role selection).
/// </summary>
public interface IEventReportHandler
{
    /// <summary>The SOP classes whose contexts the server accepts for N-EVENT-REPORT.</summary>
    IReadOnlyCollection<string> SopClassUids { get; }

    /// <summary>Handles one report; the status goes into the N-EVENT-REPORT-RSP.</summary>
    ValueTask<DimseStatus> OnEventReportAsync(EventReportRequest request, ReadOnlyMemory<byte> eventInformation,
        CancellationToken cancellationToken);
}
