namespace DicomArchive.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE command set (PS3.7 9.3, 10.3 and E.1): the group 0000 elements of one request or response, typed.
/// Encoded by <see cref="DimseCommandCodec"/> as implicit VR little endian with a Command Group Length.
/// </summary>
public sealed class DimseCommand
{
    /// <summary>Command Data Set Type (0000,0800) value meaning "no data set present" (PS3.7 E.1).</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>Command Data Set Type value sent when a data set follows (any value other than 0101H).</summary>
    public const ushort DataSetPresent = 0x0000;

    public DimseCommandField CommandField { get; set; }

    /// <summary>(0000,0110) Message ID of a request.</summary>
    public ushort? MessageId { get; set; }

    /// <summary>(0000,0120) Message ID Being Responded To of a response.</summary>
    public ushort? MessageIdBeingRespondedTo { get; set; }

    /// <summary>(0000,0002) Affected SOP Class UID.</summary>
    public string? AffectedSopClassUid { get; set; }

    /// <summary>(0000,0003) Requested SOP Class UID.</summary>
    public string? RequestedSopClassUid { get; set; }

    /// <summary>(0000,1000) Affected SOP Instance UID.</summary>
    public string? AffectedSopInstanceUid { get; set; }

    /// <summary>(0000,1001) Requested SOP Instance UID.</summary>
    public string? RequestedSopInstanceUid { get; set; }

    /// <summary>(0000,0600) Move Destination.</summary>
    public string? MoveDestination { get; set; }

    /// <summary>(0000,0700) Priority.</summary>
    public DimsePriority? Priority { get; set; }

    /// <summary>(0000,0800) Command Data Set Type: whether a data set follows the command.</summary>
    public bool HasDataSet { get; set; }

    /// <summary>(0000,0900) Status of a response.</summary>
    public DimseStatus? Status { get; set; }

    /// <summary>(0000,0901) Offending Element.</summary>
    public IReadOnlyList<DicomTag>? OffendingElements { get; set; }

    /// <summary>(0000,0902) Error Comment (at most 64 characters, LO).</summary>
    public string? ErrorComment { get; set; }

    /// <summary>(0000,0903) Error ID.</summary>
    public ushort? ErrorId { get; set; }

    /// <summary>(0000,1002) Event Type ID (N-EVENT-REPORT).</summary>
    public ushort? EventTypeId { get; set; }

    /// <summary>(0000,1005) Attribute Identifier List.</summary>
    public IReadOnlyList<DicomTag>? AttributeIdentifiers { get; set; }

    /// <summary>(0000,1008) Action Type ID (N-ACTION).</summary>
    public ushort? ActionTypeId { get; set; }

    /// <summary>(0000,1020) Number of Remaining Sub-operations.</summary>
    public ushort? RemainingSuboperations { get; set; }

    /// <summary>(0000,1021) Number of Completed Sub-operations.</summary>
    public ushort? CompletedSuboperations { get; set; }

    /// <summary>(0000,1022) Number of Failed Sub-operations.</summary>
    public ushort? FailedSuboperations { get; set; }

    /// <summary>(0000,1023) Number of Warning Sub-operations.</summary>
    public ushort? WarningSuboperations { get; set; }

    /// <summary>(0000,1030) Move Originator Application Entity Title (C-STORE sub-operation of a C-MOVE).</summary>
    public string? MoveOriginatorAeTitle { get; set; }

    /// <summary>(0000,1031) Move Originator Message ID.</summary>
    public ushort? MoveOriginatorMessageId { get; set; }

    public bool IsResponse => CommandField.IsResponse();

    /// <summary>C-ECHO-RQ (PS3.7 9.3.5.1).</summary>
    public static DimseCommand CreateEchoRequest(ushort messageId) => new()
    {
        CommandField = DimseCommandField.CEchoRq,
        MessageId = messageId,
        AffectedSopClassUid = DicomNetworkUids.Verification,
    };

    /// <summary>C-STORE-RQ (PS3.7 9.3.1.1).</summary>
    public static DimseCommand CreateStoreRequest(ushort messageId, string sopClassUid, string sopInstanceUid,
        DimsePriority priority = DimsePriority.Medium) => new()
        {
            CommandField = DimseCommandField.CStoreRq,
            MessageId = messageId,
            AffectedSopClassUid = sopClassUid,
            AffectedSopInstanceUid = sopInstanceUid,
            Priority = priority,
            HasDataSet = true,
        };

    /// <summary>N-ACTION-RQ (PS3.7 10.3.4.1).</summary>
    public static DimseCommand CreateActionRequest(ushort messageId, string sopClassUid, string sopInstanceUid, ushort actionTypeId) => new()
    {
        CommandField = DimseCommandField.NActionRq,
        MessageId = messageId,
        RequestedSopClassUid = sopClassUid,
        RequestedSopInstanceUid = sopInstanceUid,
        ActionTypeId = actionTypeId,
    };

    /// <summary>N-EVENT-REPORT-RQ (PS3.7 10.3.1.1).</summary>
    public static DimseCommand CreateEventReportRequest(ushort messageId, string sopClassUid, string sopInstanceUid, ushort eventTypeId) => new()
    {
        CommandField = DimseCommandField.NEventReportRq,
        MessageId = messageId,
        AffectedSopClassUid = sopClassUid,
        AffectedSopInstanceUid = sopInstanceUid,
        EventTypeId = eventTypeId,
    };

    /// <summary>C-CANCEL-RQ (PS3.7 9.3.2.3): answers nothing, names the request to cancel.</summary>
    public static DimseCommand CreateCancelRequest(ushort messageIdBeingRespondedTo) => new()
    {
        CommandField = DimseCommandField.CCancelRq,
        MessageIdBeingRespondedTo = messageIdBeingRespondedTo,
    };

    /// <summary>A response to <paramref name="request"/> carrying its Message ID, SOP class and instance (PS3.7 9.3).</summary>
    public static DimseCommand CreateResponse(DimseCommand request, DimseStatus status)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsResponse)
        {
            throw new ArgumentException("A response answers a request", nameof(request));
        }

        return new DimseCommand
        {
            CommandField = request.CommandField.ToResponse(),
            MessageIdBeingRespondedTo = request.MessageId,
            AffectedSopClassUid = request.AffectedSopClassUid ?? request.RequestedSopClassUid,
            AffectedSopInstanceUid = request.CommandField is DimseCommandField.CStoreRq or DimseCommandField.NActionRq
                or DimseCommandField.NEventReportRq
                ? request.AffectedSopInstanceUid ?? request.RequestedSopInstanceUid
                : null,
            Status = status,
            ErrorComment = status.ErrorComment,
        };
    }

    public override string ToString() =>
        $"{CommandField} id={MessageId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}" +
        (Status is { } s ? $" status={s}" : string.Empty);
}
