using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Service.Configuration;
using DicomArchive.Service.Retrieve;
using DicomArchive.Storage;
using Microsoft.Extensions.Options;

namespace DicomArchive.Service.Tests.Retrieve;

/// <summary>The pieces of C-MOVE/C-GET that need no network: syntax choice, proposed contexts, final statuses, destination limits.</summary>
public sealed class RetrieveUnitTests
{
    private const string Ct = "1.2.840.10008.5.1.4.1.1.2";
    private const string Jpeg = "1.2.840.10008.1.2.4.50";

    [Test]
    public void Choose_StoredSyntaxAccepted_SendsAsStored()
    {
        RetrieveSyntax.Choose(Jpeg, [TransferSyntax.ExplicitVRLittleEndian.Uid, Jpeg]).Should().Be(TransferSyntax.Lookup(Jpeg));
    }

    [Test]
    public void Choose_ExplicitStoredImplicitAccepted_ConvertsToImplicit()
    {
        RetrieveSyntax.Choose(TransferSyntax.ExplicitVRLittleEndian.Uid, [TransferSyntax.ImplicitVRLittleEndian.Uid])
            .Should().Be(TransferSyntax.ImplicitVRLittleEndian);
    }

    [Test]
    public void Choose_ImplicitStoredBothAccepted_PrefersStoredSyntax()
    {
        RetrieveSyntax.Choose(TransferSyntax.ImplicitVRLittleEndian.Uid,
            [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid]).Should().Be(TransferSyntax.ImplicitVRLittleEndian);
    }

    [Test]
    public void Choose_CompressedStoredOnlyUncompressedAccepted_Null()
    {
        RetrieveSyntax.Choose(Jpeg, [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid]).Should().BeNull();
    }

    [Test]
    public void Choose_NothingAccepted_Null()
    {
        RetrieveSyntax.Choose(TransferSyntax.ExplicitVRLittleEndian.Uid, []).Should().BeNull();
    }

    [Test]
    public void ProposeContexts_MixedSyntaxes_UncompressedPairPerClassAndOneContextPerStoredCompressedSyntax()
    {
        var contexts = MoveAssociation.ProposeContexts(
        [
            Instance(Ct, TransferSyntax.ExplicitVRLittleEndian.Uid),
            Instance(Ct, Jpeg),
            Instance(Ct, Jpeg),
            Instance("1.2.840.10008.5.1.4.1.1.4", TransferSyntax.ImplicitVRLittleEndian.Uid),
        ]);

        contexts.Select(c => (c.Id, c.AbstractSyntax, string.Join(',', c.TransferSyntaxes))).Should().Equal(
            (1, Ct, "1.2.840.10008.1.2.1,1.2.840.10008.1.2"),
            (3, "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.1.2.1,1.2.840.10008.1.2"),
            (5, Ct, Jpeg));
    }

    [Test]
    public void ProposeContexts_MoreThan128_StopsAtTheLastOddId()
    {
        var instances = Enumerable.Range(1, 200).Select(i => Instance($"1.2.3.{i}", Jpeg)).ToList();

        var contexts = MoveAssociation.ProposeContexts(instances);

        contexts.Should().HaveCount(128);
        contexts[^1].Id.Should().Be(255);
    }

    [Test]
    public void Final_AllCompleted_Success()
    {
        var progress = new RetrieveProgress(2, TransferSyntax.ExplicitVRLittleEndian);
        progress.Record("1", DimseStatus.Success);
        progress.Record("2", DimseStatus.Success);

        var final = progress.Final();

        final.Status.Should().Be(DimseStatus.Success);
        final.Completed.Should().Be(2);
        final.Identifier.Should().BeNull();
    }

    [Test]
    public void Final_SomeFailed_B000WithFailedUidList()
    {
        var progress = new RetrieveProgress(3, TransferSyntax.ExplicitVRLittleEndian);
        progress.Record("1.1", DimseStatus.Success);
        progress.Record("1.2", new DimseStatus(0xA700));
        progress.Fail("1.3");

        var final = progress.Final();

        final.Status.Code.Should().Be(0xB000);
        (final.Completed, final.Failed, final.Warning).Should().Be(((ushort)1, (ushort)2, (ushort)0));
        var identifier = DicomDatasetReader.Read(final.Identifier!.Value, TransferSyntax.ExplicitVRLittleEndian);
        identifier.GetStrings(DicomTag.FailedSOPInstanceUIDList).Should().Equal("1.2", "1.3");
    }

    [Test]
    public void Final_AllFailed_A702()
    {
        var progress = new RetrieveProgress(1, TransferSyntax.ImplicitVRLittleEndian);
        progress.Fail("1.1");

        progress.Final().Status.Code.Should().Be(0xA702);
    }

    [Test]
    public void Final_OnlyWarnings_B000WithoutIdentifier()
    {
        var progress = new RetrieveProgress(1, TransferSyntax.ExplicitVRLittleEndian);
        progress.Record("1.1", new DimseStatus(0xB007));

        var final = progress.Final();

        final.Status.Code.Should().Be(0xB000);
        final.Warning.Should().Be(1);
        final.Identifier.Should().BeNull();
    }

    [Test]
    public void Pending_AfterOneOfThree_RemainingTwo()
    {
        var progress = new RetrieveProgress(3, TransferSyntax.ExplicitVRLittleEndian);
        progress.Record("1.1", DimseStatus.Success);

        var pending = progress.Pending();

        pending.Status.Should().Be(DimseStatus.Pending);
        (pending.Remaining, pending.Completed).Should().Be(((ushort)2, (ushort)1));
    }

    [Test]
    public void Final_ManyFailures_ListStaysWithinTheUiLengthLimit()
    {
        var progress = new RetrieveProgress(2000, TransferSyntax.ExplicitVRLittleEndian);
        for (var i = 0; i < 2000; i++)
        {
            progress.Fail($"1.2.826.0.1.3680043.10.99.{i:D8}.1234567890.1234567890");
        }

        var identifier = DicomDatasetReader.Read(progress.Final().Identifier!.Value, TransferSyntax.ExplicitVRLittleEndian);

        identifier.GetStrings(DicomTag.FailedSOPInstanceUIDList).Length.Should().BeInRange(1000, 1999);
    }

    [Test]
    public void Find_TrailingSpacesInAeTitle_MatchesPeer()
    {
        using var destinations = Destinations(new PeerOptions { AeTitle = "VIEWER", Host = "h", Port = 104 });

        destinations.Find("VIEWER  ").Should().NotBeNull();
        destinations.Find("OTHER").Should().BeNull();
    }

    [Test]
    public async Task AcquireAsync_LimitOne_SecondWaitsUntilFirstReleased()
    {
        var peer = new PeerOptions { AeTitle = "VIEWER", Host = "h", Port = 104, MaxAssociations = 1 };
        using var destinations = Destinations(peer);

        var first = await destinations.AcquireAsync(peer, CancellationToken.None);
        var second = destinations.AcquireAsync(peer, CancellationToken.None);
        await Task.Delay(50);
        second.IsCompleted.Should().BeFalse();
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Test]
    public async Task TryAcquire_NoSlotFree_NullAtOnceAndASlotOnceOneIsReleased()
    {
        var peer = new PeerOptions { AeTitle = "VIEWER", Host = "h", Port = 104, MaxAssociations = 2 };
        using var destinations = Destinations(peer);

        var first = await destinations.AcquireAsync(peer, CancellationToken.None);
        var second = destinations.TryAcquire(peer);

        second.Should().NotBeNull();
        destinations.TryAcquire(peer).Should().BeNull();
        second!.Dispose();
        using var third = destinations.TryAcquire(peer);
        third.Should().NotBeNull();
        first.Dispose();
    }

    [Test]
    public void Final_Cancel_RemainingIsTheSubOperationsNeverStarted()
    {
        var progress = new RetrieveProgress(5, TransferSyntax.ExplicitVRLittleEndian);
        progress.Record("1.1", DimseStatus.Success);
        progress.Fail("1.2");

        var final = progress.Final(DimseStatus.Cancel);

        (final.Remaining, final.Completed, final.Failed).Should().Be(((ushort)3, (ushort)1, (ushort)1));
        progress.Final(RetrieveProgress.UnableToPerformSubOperations).Remaining.Should().Be(0);
    }

    private static MoveDestinations Destinations(params PeerOptions[] peers) =>
        new(Options.Create(new ArchiveOptions { Peers = [.. peers] }));

    private static StoredInstance Instance(string sopClass, string syntax) =>
        new() { SopClassUid = sopClass, TransferSyntaxUid = syntax, SopInstanceUid = "1.2.3" };
}
