using System.Globalization;
using System.Text;
using Dapper;
using DicomArchive.Storage.Commitment;
using DicomArchive.Storage.Files;

namespace DicomArchive.Storage;

/// <summary>Storage Commitment (PS3.4 J.3): checking instances for commitment and the requests waiting for delivery.</summary>
public sealed partial class InstanceStore
{
    private const string Pending = "pending";

    /// <summary>
    /// Decides for each reference whether the archive commits to it: indexed with the same SOP class, its file present,
    /// and the file's bytes (re-read now) still matching the SHA-256 recorded when it was stored.
    /// </summary>
    public async Task<IReadOnlyList<CommitmentItemResult>> VerifyCommitmentAsync(IReadOnlyList<CommitmentReference> references,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        var results = new List<CommitmentItemResult>(references.Count);
        foreach (var reference in references)
        {
            results.Add(await VerifyOneAsync(reference, ct).ConfigureAwait(false));
        }

        return results;
    }

    private async Task<CommitmentItemResult> VerifyOneAsync(CommitmentReference reference, CancellationToken ct)
    {
        var stored = await FindInstanceAsync(reference.SopInstanceUid, ct).ConfigureAwait(false);
        if (stored is null)
        {
            return new CommitmentItemResult(reference, CommitmentFailureReason.NoSuchObjectInstance, "Not in the archive");
        }

        if (!string.Equals(stored.SopClassUid, reference.SopClassUid, StringComparison.Ordinal))
        {
            return new CommitmentItemResult(reference, CommitmentFailureReason.ClassInstanceConflict,
                $"Stored as SOP class {stored.SopClassUid}");
        }

        string actual;
        try
        {
            var file = new FileStream(stored.FullPath, new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            await using (file.ConfigureAwait(false))
            {
                actual = await ContentHash.ComputeLikeAsync(stored.ContentHash, file, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            StorageLog.CommitmentFileUnreadable(logger, reference.SopInstanceUid, stored.FullPath, ex.Message);
            return new CommitmentItemResult(reference, CommitmentFailureReason.ProcessingFailure, "File missing or unreadable: " + ex.Message);
        }

        if (!string.Equals(actual, stored.ContentHash, StringComparison.OrdinalIgnoreCase))
        {
            StorageLog.CommitmentHashMismatch(logger, reference.SopInstanceUid, stored.FullPath);
            return new CommitmentItemResult(reference, CommitmentFailureReason.ProcessingFailure, "File content does not match its stored hash");
        }

        return new CommitmentItemResult(reference, 0);
    }

    /// <summary>Records a request (replacing one with the same Transaction UID) so it is answered even after a restart.</summary>
    public async Task AddPendingCommitmentAsync(PendingCommitment commitment, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        var connection = database.Open();
        await using (connection.ConfigureAwait(false))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT OR REPLACE INTO storage_commitments
                    (transaction_uid, calling_ae, called_ae, requested_items, state, attempts, next_attempt_at, expires_at, received_at)
                VALUES (@TransactionUid, @CallingAe, @CalledAe, @Items, 'pending', @Attempts, @Next, @Expires, @Received)
                """,
                new
                {
                    commitment.TransactionUid,
                    commitment.CallingAe,
                    commitment.CalledAe,
                    Items = EncodeItems(commitment.Items),
                    commitment.Attempts,
                    Next = Time(commitment.NextAttemptAt),
                    Expires = Time(commitment.ExpiresAt),
                    Received = Time(commitment.ReceivedAt),
                },
                cancellationToken: ct)).ConfigureAwait(false);
        }
    }

    /// <summary>Pending requests whose next delivery attempt is due at <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<PendingCommitment>> GetDueCommitmentsAsync(DateTimeOffset now, int limit = 100, CancellationToken ct = default)
    {
        var connection = database.Open();
        await using (connection.ConfigureAwait(false))
        {
            var rows = await connection.QueryAsync<CommitmentRow>(new CommandDefinition(
                """
                SELECT transaction_uid AS TransactionUid, calling_ae AS CallingAe, called_ae AS CalledAe, requested_items AS Items,
                       attempts AS Attempts, next_attempt_at AS NextAttemptAt, expires_at AS ExpiresAt, received_at AS ReceivedAt,
                       last_error AS LastError
                FROM storage_commitments WHERE state = 'pending' AND next_attempt_at <= @Now ORDER BY next_attempt_at LIMIT @Limit
                """,
                new { Now = Time(now), Limit = limit },
                cancellationToken: ct)).ConfigureAwait(false);
            var list = new List<PendingCommitment>();
            foreach (var row in rows)
            {
                list.Add(row.ToPending());
            }

            return list;
        }
    }

    /// <summary>The state of a request ("pending", "delivered", "expired"), or null when unknown.</summary>
    public async Task<string?> GetCommitmentStateAsync(string transactionUid, CancellationToken ct = default)
    {
        var connection = database.Open();
        await using (connection.ConfigureAwait(false))
        {
            return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT state FROM storage_commitments WHERE transaction_uid = @transactionUid", new { transactionUid },
                cancellationToken: ct)).ConfigureAwait(false);
        }
    }

    /// <summary>Records a failed delivery attempt and when to try again.</summary>
    public Task RescheduleCommitmentAsync(string transactionUid, int attempts, DateTimeOffset nextAttemptAt, string error, CancellationToken ct = default) =>
        UpdateCommitmentAsync(
            "UPDATE storage_commitments SET attempts = @attempts, next_attempt_at = @next, last_error = @error WHERE transaction_uid = @transactionUid",
            new { transactionUid, attempts, next = Time(nextAttemptAt), error }, ct);

    /// <summary>Ends a request: <paramref name="delivered"/> true when the peer answered the report, false when it expired.</summary>
    public Task CompleteCommitmentAsync(string transactionUid, bool delivered, DateTimeOffset now, string error = "", CancellationToken ct = default) =>
        UpdateCommitmentAsync(
            "UPDATE storage_commitments SET state = @state, completed_at = @now, last_error = @error WHERE transaction_uid = @transactionUid",
            new { transactionUid, state = delivered ? "delivered" : "expired", now = Time(now), error }, ct);

    private async Task UpdateCommitmentAsync(string sql, object parameters, CancellationToken ct)
    {
        var connection = database.Open();
        await using (connection.ConfigureAwait(false))
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct)).ConfigureAwait(false);
        }
    }

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string EncodeItems(IReadOnlyList<CommitmentReference> items)
    {
        var text = new StringBuilder();
        foreach (var item in items)
        {
            text.Append(item.SopClassUid).Append('\t').Append(item.SopInstanceUid).Append('\n');
        }

        return text.ToString();
    }

    private static List<CommitmentReference> DecodeItems(string text)
    {
        var items = new List<CommitmentReference>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            items.Add(tab < 0 ? new CommitmentReference("", line) : new CommitmentReference(line[..tab], line[(tab + 1)..]));
        }

        return items;
    }

    private sealed class CommitmentRow
    {
        public string TransactionUid { get; set; } = "";
        public string CallingAe { get; set; } = "";
        public string CalledAe { get; set; } = "";
        public string Items { get; set; } = "";
        public long Attempts { get; set; }
        public string NextAttemptAt { get; set; } = "";
        public string ExpiresAt { get; set; } = "";
        public string ReceivedAt { get; set; } = "";
        public string LastError { get; set; } = "";

        public PendingCommitment ToPending() => new()
        {
            TransactionUid = TransactionUid,
            CallingAe = CallingAe,
            CalledAe = CalledAe,
            Items = DecodeItems(Items),
            Attempts = (int)Attempts,
            NextAttemptAt = ParseTime(NextAttemptAt),
            ExpiresAt = ParseTime(ExpiresAt),
            ReceivedAt = ParseTime(ReceivedAt),
            LastError = LastError,
        };
    }
}
