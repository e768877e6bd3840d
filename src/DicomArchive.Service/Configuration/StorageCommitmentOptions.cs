namespace DicomArchive.Service.Configuration;

/// <summary>The "Archive:StorageCommitment" section: Storage Commitment Push Model as SCP (PS3.4 J.3).</summary>
public sealed class StorageCommitmentOptions
{
    /// <summary>Offer the Storage Commitment Push Model SOP class.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long (seconds after the request) the archive keeps trying to deliver a result on a new association to a
    /// requester that could not be reached; afterwards the request expires (logged and audited).
    /// </summary>
    public int RetrySeconds { get; set; } = 86400;

    /// <summary>Seconds between two delivery attempts to an unreachable requester.</summary>
    public int RetryIntervalSeconds { get; set; } = 60;
}
