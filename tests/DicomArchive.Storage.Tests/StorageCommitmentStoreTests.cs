using DicomArchive.Storage.Commitment;

namespace DicomArchive.Storage.Tests;

public sealed class StorageCommitmentStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task VerifyCommitmentAsync_StoredMissingWrongClassAndDeleted_ReasonPerItem()
    {
        await using var f = await StoreFixture.CreateAsync();
        await f.StoreAsync("1.2.9.1", TestDataset.Instance("1.2.9.1"));
        var deleted = await f.StoreAsync("1.2.9.2", TestDataset.Instance("1.2.9.2"));
        File.Delete(Path.Combine(f.Options.StorageRoot, deleted.RelativePath!));

        var results = await f.Store.VerifyCommitmentAsync(
        [
            new(TestDataset.CtImageStorage, "1.2.9.1"),
            new(TestDataset.CtImageStorage, "1.2.9.404"),
            new("1.2.840.10008.5.1.4.1.1.4", "1.2.9.1"),
            new(TestDataset.CtImageStorage, "1.2.9.2"),
        ]);

        results.Select(r => r.FailureReason).Should().Equal(
            0, CommitmentFailureReason.NoSuchObjectInstance, CommitmentFailureReason.ClassInstanceConflict, CommitmentFailureReason.ProcessingFailure);
        results[0].IsCommitted.Should().BeTrue();
    }

    [Test]
    public async Task VerifyCommitmentAsync_FileBytesChanged_ProcessingFailure()
    {
        await using var f = await StoreFixture.CreateAsync();
        var stored = await f.StoreAsync("1.2.9.3", TestDataset.Instance("1.2.9.3"));
        var path = Path.Combine(f.Options.StorageRoot, stored.RelativePath!);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var results = await f.Store.VerifyCommitmentAsync([new(TestDataset.CtImageStorage, "1.2.9.3")]);

        results.Should().ContainSingle().Which.FailureReason.Should().Be(CommitmentFailureReason.ProcessingFailure);
    }

    [Test]
    public async Task PendingCommitments_SurviveReopen_DueRescheduledAndCompleted()
    {
        await using var f = await StoreFixture.CreateAsync();
        await f.Store.AddPendingCommitmentAsync(new PendingCommitment
        {
            TransactionUid = "2.25.1",
            CallingAe = "MODALITY",
            Items = [new("1.2.840.10008.5.1.4.1.1.2", "1.2.3"), new("1.2.840.10008.5.1.4.1.1.4", "1.2.4")],
            ReceivedAt = T0,
            NextAttemptAt = T0,
            ExpiresAt = T0.AddHours(1),
        });
        await f.ReopenAsync();

        var due = await f.Store.GetDueCommitmentsAsync(T0.AddSeconds(1));
        await f.Store.RescheduleCommitmentAsync("2.25.1", 1, T0.AddMinutes(1), "refused");
        var notYet = await f.Store.GetDueCommitmentsAsync(T0.AddSeconds(30));
        var later = await f.Store.GetDueCommitmentsAsync(T0.AddMinutes(2));
        await f.Store.CompleteCommitmentAsync("2.25.1", delivered: true, T0.AddMinutes(2));

        var pending = due.Should().ContainSingle().Subject;
        pending.CallingAe.Should().Be("MODALITY");
        pending.Items.Should().Equal(new CommitmentReference("1.2.840.10008.5.1.4.1.1.2", "1.2.3"),
            new CommitmentReference("1.2.840.10008.5.1.4.1.1.4", "1.2.4"));
        pending.ExpiresAt.Should().Be(T0.AddHours(1));
        notYet.Should().BeEmpty();
        later.Should().ContainSingle().Which.Should().Match<PendingCommitment>(p => p.Attempts == 1 && p.LastError == "refused");
        (await f.Store.GetDueCommitmentsAsync(T0.AddDays(1))).Should().BeEmpty();
        (await f.Store.GetCommitmentStateAsync("2.25.1")).Should().Be("delivered");
    }
}
