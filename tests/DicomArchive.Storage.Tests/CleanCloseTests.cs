namespace DicomArchive.Storage.Tests;

/// <summary>The lock file remembers a clean close, so start-up skips the recovery walk over every stored file.</summary>
public sealed class CleanCloseTests
{
    [Test]
    public async Task OpenAsync_NewStore_NotCleanSoRecoveryRuns()
    {
        await using var fixture = await StoreFixture.CreateAsync();

        fixture.Store.LastCloseWasClean.Should().BeFalse("a new folder has no record of a clean close");
    }

    [Test]
    public async Task OpenAsync_AfterDisposeOfACleanStore_Clean()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        await fixture.Store.RecoverAsync();

        await fixture.ReopenAsync();

        fixture.Store.LastCloseWasClean.Should().BeTrue();
    }

    [Test]
    public async Task OpenAsync_AfterCrash_NotClean()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        await fixture.Store.RecoverAsync();
        await fixture.ReopenAsync();
        fixture.Store.LastCloseWasClean.Should().BeTrue();

        // A crash: the process dies with the store open, so the lock file still says "open".
        var lockFile = Path.Combine(fixture.Options.StorageRoot, ".lock");
        await fixture.Store.DisposeAsync();
        await File.WriteAllTextAsync(lockFile, "open");
        await fixture.ReopenAsync();

        fixture.Store.LastCloseWasClean.Should().BeFalse();
    }

    [Test]
    public async Task DisposeAsync_AfterUncleanOpenWithoutRecovery_StaysNotClean()
    {
        await using var fixture = await StoreFixture.CreateAsync();

        // Opened after a crash (new folder: not clean) and closed without RecoverAsync, as `verify` does: files
        // without a row may still be there, so the next start must still recover.
        await fixture.ReopenAsync();

        fixture.Store.LastCloseWasClean.Should().BeFalse();
    }
}
