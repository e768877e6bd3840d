using DicomArchive.Dicom.Network.Association;
using Microsoft.Extensions.Time.Testing;
using static DicomArchive.Dicom.Network.Association.AssociationAction;
using static DicomArchive.Dicom.Network.Association.AssociationEvent;
using static DicomArchive.Dicom.Network.Association.AssociationState;

namespace DicomArchive.Dicom.Network.Tests.Association;

public sealed class AssociationStateMachineTests
{
    static readonly TimeSpan Artim = TimeSpan.FromSeconds(30);

    static (AssociationStateMachine Machine, FakeTimeProvider Time, Func<int> Expirations) Create(bool requestor)
    {
        var time = new FakeTimeProvider();
        int expired = 0;
        var machine = new AssociationStateMachine(requestor, time, Artim, () => Interlocked.Increment(ref expired));
        return (machine, time, () => Volatile.Read(ref expired));
    }

    [Test]
    public void Handle_AcceptorHappyPath_FollowsTable()
    {
        var (m, _, _) = Create(requestor: false);

        m.Handle(Evt5).Should().Be(AE5);
        m.State.Should().Be(Sta2);
        m.IsArtimRunning.Should().BeTrue();
        m.Handle(Evt6).Should().Be(AE6);
        m.State.Should().Be(Sta3);
        m.IsArtimRunning.Should().BeFalse();
        m.Handle(Evt7).Should().Be(AE7);
        m.State.Should().Be(Sta6);
        m.Handle(Evt10).Should().Be(DT2);
        m.Handle(Evt9).Should().Be(DT1);
        m.Handle(Evt12).Should().Be(AR2);
        m.State.Should().Be(Sta8);
        m.Handle(Evt14).Should().Be(AR4);
        m.State.Should().Be(Sta13);
        m.IsArtimRunning.Should().BeTrue();
        m.Handle(Evt17).Should().Be(AR5);
        m.State.Should().Be(Sta1);
        m.IsArtimRunning.Should().BeFalse();
    }

    [Test]
    public void Handle_RequestorHappyPath_FollowsTable()
    {
        var (m, _, _) = Create(requestor: true);

        m.Handle(Evt1).Should().Be(AE1);
        m.State.Should().Be(Sta4);
        m.Handle(Evt2).Should().Be(AE2);
        m.State.Should().Be(Sta5);
        m.Handle(Evt3).Should().Be(AE3);
        m.State.Should().Be(Sta6);
        m.Handle(Evt11).Should().Be(AR1);
        m.State.Should().Be(Sta7);
        m.Handle(Evt10).Should().Be(AR6);
        m.State.Should().Be(Sta7);
        m.Handle(Evt13).Should().Be(AR3);
        m.State.Should().Be(Sta1);
    }

    [Test]
    public void Handle_RequestorRejected_ClosesToIdle()
    {
        var (m, _, _) = Create(requestor: true);
        m.Handle(Evt1);
        m.Handle(Evt2);

        m.Handle(Evt4).Should().Be(AE4);

        m.State.Should().Be(Sta1);
    }

    [Test]
    public void Handle_ProviderRejectsRequest_SendsRejectAndStartsArtim()
    {
        var (m, _, _) = Create(requestor: false);
        m.Handle(Evt5);

        m.Handle(Evt6, acceptableToProvider: false).Should().Be(AE6);

        m.State.Should().Be(Sta13);
        m.IsArtimRunning.Should().BeTrue();
    }

    [Test]
    public void Handle_UserRejects_SendsRejectAndWaitsForClose()
    {
        var (m, time, expirations) = Create(requestor: false);
        m.Handle(Evt5);
        m.Handle(Evt6);

        m.Handle(Evt8).Should().Be(AE8);

        m.State.Should().Be(Sta13);
        time.Advance(Artim);
        expirations().Should().Be(1);
        m.Handle(Evt18).Should().Be(AA2);
        m.State.Should().Be(Sta1);
    }

    [Test]
    public void ArtimTimer_SilentConnection_ExpiresAfterTimeoutOnly()
    {
        var (m, time, expirations) = Create(requestor: false);
        m.Handle(Evt5);

        time.Advance(Artim - TimeSpan.FromMilliseconds(1));
        expirations().Should().Be(0);
        time.Advance(TimeSpan.FromMilliseconds(1));
        expirations().Should().Be(1);

        m.Handle(Evt18).Should().Be(AA2);
        m.State.Should().Be(Sta1);
    }

    [Test]
    public void ArtimTimer_StoppedByRequest_NeverExpires()
    {
        var (m, time, expirations) = Create(requestor: false);
        m.Handle(Evt5);
        m.Handle(Evt6);

        time.Advance(TimeSpan.FromHours(1));

        expirations().Should().Be(0);
    }

    [Test]
    public void ArtimTimer_Restarted_OnlyLatestCounts()
    {
        var (m, time, expirations) = Create(requestor: false);
        m.Handle(Evt5);
        time.Advance(TimeSpan.FromSeconds(20));
        m.Handle(Evt6);
        m.Handle(Evt7);
        m.Handle(Evt15).Should().Be(AA1);

        time.Advance(TimeSpan.FromSeconds(20));
        expirations().Should().Be(0);
        time.Advance(TimeSpan.FromSeconds(10));
        expirations().Should().Be(1);
    }

    [Test]
    public void Handle_ReleaseCollisionRequestor_GoesThroughSta9And11()
    {
        var (m, _, _) = Create(requestor: true);
        m.Handle(Evt1);
        m.Handle(Evt2);
        m.Handle(Evt3);
        m.Handle(Evt11);

        m.Handle(Evt12).Should().Be(AR8);
        m.State.Should().Be(Sta9);
        m.Handle(Evt14).Should().Be(AR9);
        m.State.Should().Be(Sta11);
        m.Handle(Evt13).Should().Be(AR3);
        m.State.Should().Be(Sta1);
    }

    [Test]
    public void Handle_ReleaseCollisionAcceptor_GoesThroughSta10And12()
    {
        var (m, _, _) = Create(requestor: false);
        m.Handle(Evt5);
        m.Handle(Evt6);
        m.Handle(Evt7);
        m.Handle(Evt11);

        m.Handle(Evt12).Should().Be(AR8);
        m.State.Should().Be(Sta10);
        m.Handle(Evt13).Should().Be(AR10);
        m.State.Should().Be(Sta12);
        m.Handle(Evt14).Should().Be(AR4);
        m.State.Should().Be(Sta13);
    }

    [Test]
    public void Handle_InvalidPduWhenEstablished_AbortsAsProvider()
    {
        var (m, _, _) = Create(requestor: false);
        m.Handle(Evt5);
        m.Handle(Evt6);
        m.Handle(Evt7);

        m.Handle(Evt19).Should().Be(AA8);

        m.State.Should().Be(Sta13);
        m.IsArtimRunning.Should().BeTrue();
    }

    [Test]
    public void Handle_UnexpectedPduBeforeRequest_AbortsAsUser()
    {
        var (m, _, _) = Create(requestor: false);
        m.Handle(Evt5);

        m.Handle(Evt10).Should().Be(AA1);

        m.State.Should().Be(Sta13);
    }

    [Test]
    public void Handle_PduWhileAwaitingClose_IsIgnored()
    {
        var (m, _, _) = Create(requestor: false);
        m.Handle(Evt5);
        m.Handle(Evt10);

        m.Handle(Evt10).Should().Be(AA6);
        m.Handle(Evt6).Should().Be(AA7);
        m.Handle(Evt16).Should().Be(AA2);
        m.State.Should().Be(Sta1);
    }

    [Test]
    public void Handle_AbortReceivedWhenEstablished_ClosesToIdle()
    {
        var (m, _, _) = Create(requestor: true);
        m.Handle(Evt1);
        m.Handle(Evt2);
        m.Handle(Evt3);

        m.Handle(Evt16).Should().Be(AA3);

        m.State.Should().Be(Sta1);
    }

    [Test]
    public void Handle_TransportClosedWhenEstablished_IssuesProviderAbort()
    {
        var (m, _, _) = Create(requestor: false);
        m.Handle(Evt5);
        m.Handle(Evt6);
        m.Handle(Evt7);

        m.Handle(Evt17).Should().Be(AA4);

        m.State.Should().Be(Sta1);
    }

    [Test]
    public void Handle_LocalPrimitiveInWrongState_ThrowsInvalidOperation()
    {
        var (m, _, _) = Create(requestor: false);

        var act = () => m.Handle(Evt9);

        act.Should().Throw<InvalidOperationException>();
        m.State.Should().Be(Sta1);
    }

    [TestCase(Evt3, Sta6, AA8)]
    [TestCase(Evt4, Sta7, AA8)]
    [TestCase(Evt6, Sta3, AA8)]
    [TestCase(Evt13, Sta6, AA8)]
    [TestCase(Evt13, Sta11, AR3)]
    [TestCase(Evt14, Sta12, AR4)]
    [TestCase(Evt15, Sta4, AA2)]
    [TestCase(Evt15, Sta3, AA1)]
    [TestCase(Evt16, Sta13, AA2)]
    [TestCase(Evt17, Sta2, AA5)]
    [TestCase(Evt17, Sta13, AR5)]
    [TestCase(Evt18, Sta2, AA2)]
    [TestCase(Evt19, Sta13, AA7)]
    [TestCase(Evt9, Sta8, AR7)]
    [TestCase(Evt9, Sta7, None)]
    [TestCase(Evt18, Sta6, None)]
    public void Lookup_TableCell_MatchesPs38Table9_10(AssociationEvent evt, AssociationState state, AssociationAction action)
    {
        AssociationStateMachine.Lookup(state, evt).Should().Be(action);
    }
}
