namespace DicomArchive.Storage.Commitment;

/// <summary>A Storage Commitment request kept in the index until its result has been delivered (or has expired).</summary>
public sealed record PendingCommitment
{
    /// <summary>Transaction UID (0008,1195) of the request, echoed in the result.</summary>
    public required string TransactionUid { get; init; }

    /// <summary>The AE that asked (the Calling AE Title of the N-ACTION association): where the result goes.</summary>
    public required string CallingAe { get; init; }

    public string CalledAe { get; init; } = "";

    public required IReadOnlyList<CommitmentReference> Items { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>After this time no further delivery is attempted.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    public string LastError { get; init; } = "";
}
