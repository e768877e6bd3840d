namespace DicomArchive.Dicom.Network.Dimse;

/// <summary>A DIMSE Status (0000,0900) value and its category (PS3.7 Annex C; service-specific codes in PS3.4).</summary>
public readonly record struct DimseStatus(ushort Code)
{
    /// <summary>0000: success (PS3.7 C.1.1).</summary>
    public static DimseStatus Success { get; } = new(0x0000);

    /// <summary>FF00: pending (PS3.7 C.1.2).</summary>
    public static DimseStatus Pending { get; } = new(0xFF00);

    /// <summary>FF01: pending, some optional keys not supported (PS3.4 C.4.1.1.4).</summary>
    public static DimseStatus PendingWarning { get; } = new(0xFF01);

    /// <summary>FE00: cancel (PS3.7 C.1.3).</summary>
    public static DimseStatus Cancel { get; } = new(0xFE00);

    /// <summary>0001: warning, requested optional attributes are not supported (PS3.7 C.3).</summary>
    public static DimseStatus AttributeWarning { get; } = new(0x0001);

    /// <summary>B000: coercion of data elements (PS3.4 B.2.3) / sub-operations complete with failures (PS3.4 C.4.2.1.5).</summary>
    public static DimseStatus WarningB000 { get; } = new(0xB000);

    /// <summary>0110: processing failure (PS3.7 C.4.2).</summary>
    public static DimseStatus ProcessingFailure { get; } = new(0x0110);

    /// <summary>0112: no such SOP instance.</summary>
    public static DimseStatus NoSuchSopInstance { get; } = new(0x0112);

    /// <summary>0122: SOP class not supported (PS3.7 C.5.9).</summary>
    public static DimseStatus SopClassNotSupported { get; } = new(0x0122);

    /// <summary>0211: unrecognized operation (PS3.7 C.5.12).</summary>
    public static DimseStatus UnrecognizedOperation { get; } = new(0x0211);

    /// <summary>A700: refused, out of resources (PS3.4 B.2.3).</summary>
    public static DimseStatus OutOfResources { get; } = new(0xA700);

    /// <summary>A900: data set does not match SOP class (PS3.4 B.2.3).</summary>
    public static DimseStatus DataSetDoesNotMatchSopClass { get; } = new(0xA900);

    /// <summary>C000: cannot understand (PS3.4 B.2.3).</summary>
    public static DimseStatus CannotUnderstand { get; } = new(0xC000);

    /// <summary>A801: move destination unknown (PS3.4 C.4.2.1.5).</summary>
    public static DimseStatus MoveDestinationUnknown { get; } = new(0xA801);

    /// <summary>The category of this status (PS3.7 C.1-C.5).</summary>
    public DimseStatusCategory Category => Code switch
    {
        0x0000 => DimseStatusCategory.Success,
        0xFF00 or 0xFF01 => DimseStatusCategory.Pending,
        0xFE00 => DimseStatusCategory.Cancel,

        // PS3.7 C.3: 0001, 0107 (attribute list error), 0116 (attribute value out of range) and Bxxx are warnings.
        0x0001 or 0x0107 or 0x0116 => DimseStatusCategory.Warning,
        >= 0xB000 and <= 0xBFFF => DimseStatusCategory.Warning,
        _ => DimseStatusCategory.Failure,
    };

    /// <summary>Error Comment (0000,0902) sent with the status: at most 64 characters naming the problem (PS3.7 C.4).</summary>
    public string? ErrorComment { get; init; }

    /// <summary>This status with an Error Comment, cut to the 64 characters LO allows.</summary>
    public DimseStatus WithComment(string? comment) =>
        this with { ErrorComment = comment is { Length: > 64 } ? comment[..64] : comment };

    public bool IsSuccess => Category == DimseStatusCategory.Success;

    public bool IsPending => Category == DimseStatusCategory.Pending;

    public bool IsFailure => Category == DimseStatusCategory.Failure;

    public override string ToString() => $"{Code:X4}H ({Category})";
}
