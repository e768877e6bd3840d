namespace DicomArchive.Storage.Commitment;

/// <summary>One item of a Storage Commitment request: a Referenced SOP Sequence (0008,1199) item (PS3.4 J.3.2.1).</summary>
public sealed record CommitmentReference(string SopClassUid, string SopInstanceUid);

/// <summary>The verdict on one referenced instance; <see cref="FailureReason"/> is 0 when the archive commits to it.</summary>
public sealed record CommitmentItemResult(CommitmentReference Reference, ushort FailureReason, string? Detail = null)
{
    public bool IsCommitted => FailureReason == 0;
}

/// <summary>Failure Reason (0008,1197) values (PS3.3 C.14.1.1).</summary>
public static class CommitmentFailureReason
{
    /// <summary>0110: processing failure (here: the file is missing, unreadable, or no longer matches its stored hash).</summary>
    public const ushort ProcessingFailure = 0x0110;

    /// <summary>0112: no such object instance.</summary>
    public const ushort NoSuchObjectInstance = 0x0112;

    /// <summary>0119: the SOP class does not match the one stored for the instance (class/instance conflict).</summary>
    public const ushort ClassInstanceConflict = 0x0119;

    /// <summary>0122: referenced SOP class not supported.</summary>
    public const ushort ReferencedSopClassNotSupported = 0x0122;
}
