namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>Result field of an A-ASSOCIATE-RJ (PS3.8 9.3.4, Table 9-21).</summary>
public enum AssociateRejectResult : byte
{
    RejectedPermanent = 1,
    RejectedTransient = 2,
}

/// <summary>Source field of an A-ASSOCIATE-RJ (PS3.8 9.3.4, Table 9-21).</summary>
public enum AssociateRejectSource : byte
{
    ServiceUser = 1,

    /// <summary>DICOM UL service-provider (ACSE related function).</summary>
    ServiceProviderAcse = 2,

    /// <summary>DICOM UL service-provider (presentation related function).</summary>
    ServiceProviderPresentation = 3,
}

/// <summary>
/// Reason/Diag. field of an A-ASSOCIATE-RJ (PS3.8 9.3.4, Table 9-21). Its meaning depends on the source, so the value
/// is kept as the raw byte; the named constants below give the defined combinations.
/// </summary>
public static class AssociateRejectReason
{
    /// <summary>Source 1: no-reason-given.</summary>
    public const byte NoReasonGiven = 1;

    /// <summary>Source 1: application-context-name-not-supported.</summary>
    public const byte ApplicationContextNameNotSupported = 2;

    /// <summary>Source 1: calling-AE-title-not-recognized.</summary>
    public const byte CallingAeTitleNotRecognized = 3;

    /// <summary>Source 1: called-AE-title-not-recognized.</summary>
    public const byte CalledAeTitleNotRecognized = 7;

    /// <summary>Source 2: no-reason-given.</summary>
    public const byte ProviderNoReasonGiven = 1;

    /// <summary>Source 2: protocol-version-not-supported.</summary>
    public const byte ProtocolVersionNotSupported = 2;

    /// <summary>Source 3: temporary-congestion.</summary>
    public const byte TemporaryCongestion = 1;

    /// <summary>Source 3: local-limit-exceeded.</summary>
    public const byte LocalLimitExceeded = 2;
}
