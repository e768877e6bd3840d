using DicomArchive.Dicom.Network.Association;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Tests.Association;

public sealed class AssociationNegotiationPolicyTests
{
    const string CtImage = "1.2.840.10008.5.1.4.1.1.2";
    const string Jpeg = "1.2.840.10008.1.2.4.50";

    static AssociationNegotiationPolicy Policy(TransferSyntaxPreference preference = TransferSyntaxPreference.Proposer) => new()
    {
        AeTitle = "ARCHIVE",
        MaxPduLength = 32768,
        AbstractSyntaxes = new Dictionary<string, IReadOnlyList<string>>
        {
            [DicomNetworkUids.Verification] = AssociationNegotiationPolicy.DefaultTransferSyntaxes,
        },
        StorageTransferSyntaxes = [DicomNetworkUids.ExplicitVRLittleEndian, DicomNetworkUids.ImplicitVRLittleEndian],
        TransferSyntaxPreference = preference,
    };

    static AAssociateRq Request(params PresentationContextRequest[] contexts)
    {
        var rq = new AAssociateRq { CalledAeTitle = "ARCHIVE", CallingAeTitle = "MODALITY" };
        foreach (PresentationContextRequest pc in contexts)
        {
            rq.PresentationContexts.Add(pc);
        }

        return rq;
    }

    [Test]
    public void Negotiate_UnsupportedProtocolVersion_RejectsAsAcseProvider()
    {
        AAssociateRq rq = Request(new PresentationContextRequest(1, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian));
        rq.ProtocolVersion = 2;

        var rj = Policy().Negotiate(rq, false).Should().BeOfType<AAssociateRj>().Subject;

        rj.Result.Should().Be(AssociateRejectResult.RejectedPermanent);
        rj.Source.Should().Be(AssociateRejectSource.ServiceProviderAcse);
        rj.Reason.Should().Be(AssociateRejectReason.ProtocolVersionNotSupported);
    }

    [Test]
    public void Negotiate_UnknownApplicationContext_RejectsWithReason2()
    {
        AAssociateRq rq = Request(new PresentationContextRequest(1, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian));
        rq.ApplicationContextName = "1.2.3";

        var rj = Policy().Negotiate(rq, false).Should().BeOfType<AAssociateRj>().Subject;

        rj.Source.Should().Be(AssociateRejectSource.ServiceUser);
        rj.Reason.Should().Be(AssociateRejectReason.ApplicationContextNameNotSupported);
    }

    [Test]
    public void Negotiate_ProposerPreference_KeepsFirstProposedSupportedSyntax()
    {
        AAssociateRq rq = Request(new PresentationContextRequest(1, CtImage, Jpeg, DicomNetworkUids.ImplicitVRLittleEndian,
            DicomNetworkUids.ExplicitVRLittleEndian));

        var ac = Policy().Negotiate(rq, false).Should().BeOfType<AAssociateAc>().Subject;

        ac.PresentationContexts[0].TransferSyntax.Should().Be(DicomNetworkUids.ImplicitVRLittleEndian);
        ac.UserInformation.MaximumLength.Should().Be(32768);
        ac.UserInformation.ImplementationClassUid.Should().Be(DicomImplementation.ClassUid);
    }

    [Test]
    public void Negotiate_AcceptorPreference_TakesOurFirstProposedSyntax()
    {
        AAssociateRq rq = Request(new PresentationContextRequest(1, CtImage, DicomNetworkUids.ImplicitVRLittleEndian,
            DicomNetworkUids.ExplicitVRLittleEndian));

        var ac = Policy(TransferSyntaxPreference.Acceptor).Negotiate(rq, false).Should().BeOfType<AAssociateAc>().Subject;

        ac.PresentationContexts[0].TransferSyntax.Should().Be(DicomNetworkUids.ExplicitVRLittleEndian);
    }

    [Test]
    public void Negotiate_EveryContextAnswered_InOrderWithReasons()
    {
        AAssociateRq rq = Request(
            new PresentationContextRequest(1, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian),
            new PresentationContextRequest(3, "1.2.3.4", DicomNetworkUids.ImplicitVRLittleEndian),
            new PresentationContextRequest(5, CtImage, Jpeg));

        var ac = Policy().Negotiate(rq, false).Should().BeOfType<AAssociateAc>().Subject;

        ac.PresentationContexts.Select(pc => (pc.Id, pc.Result)).Should().Equal(
            ((byte)1, PresentationContextResult.Acceptance),
            ((byte)3, PresentationContextResult.AbstractSyntaxNotSupported),
            ((byte)5, PresentationContextResult.TransferSyntaxesNotSupported));
    }

    [Test]
    public void Negotiate_RoleSelectionProposed_IsAnswered()
    {
        AAssociateRq rq = Request(new PresentationContextRequest(1, CtImage, DicomNetworkUids.ImplicitVRLittleEndian));
        rq.UserInformation.RoleSelections.Add(new ScpScuRoleSelection(CtImage, false, true));

        var ac = Policy().Negotiate(rq, false).Should().BeOfType<AAssociateAc>().Subject;

        ac.UserInformation.RoleSelections.Should().ContainSingle().Which.Should().Be(new ScpScuRoleSelection(CtImage, false, true));
    }

    [Test]
    public void Negotiate_OverLimitButCalledAeWrong_ReportsCalledAeFirst()
    {
        AAssociateRq rq = Request(new PresentationContextRequest(1, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian));
        rq.CalledAeTitle = "OTHER";

        var rj = Policy().Negotiate(rq, overAssociationLimit: true).Should().BeOfType<AAssociateRj>().Subject;

        rj.Reason.Should().Be(AssociateRejectReason.CalledAeTitleNotRecognized);
    }

    [Test]
    public void Negotiate_DeniedPermissions_RejectsCallingAeNotRecognized()
    {
        AAssociateRq rq = Request(new PresentationContextRequest(1, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian));

        var rj = Policy().Negotiate(rq, false, AssociationPermissions.Deny("test")).Should().BeOfType<AAssociateRj>().Subject;

        rj.Result.Should().Be(AssociateRejectResult.RejectedPermanent);
        rj.Source.Should().Be(AssociateRejectSource.ServiceUser);
        rj.Reason.Should().Be(AssociateRejectReason.CallingAeTitleNotRecognized);
    }

    [Test]
    public void Negotiate_StoreOnlyPermissions_RejectsVerificationContextAcceptsStorage()
    {
        AAssociateRq rq = Request(new PresentationContextRequest(1, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian),
            new PresentationContextRequest(3, CtImage, DicomNetworkUids.ImplicitVRLittleEndian));

        var ac = Policy().Negotiate(rq, false, new AssociationPermissions(true, DicomServices.Store)).Should().BeOfType<AAssociateAc>().Subject;

        ac.PresentationContexts[0].Result.Should().Be(PresentationContextResult.AbstractSyntaxNotSupported);
        ac.PresentationContexts[1].Result.Should().Be(PresentationContextResult.Acceptance);
    }

    [Test]
    public void Negotiate_GetOnlyPermissions_StorageContextAcceptedOnlyWithScpRoleProposed()
    {
        AAssociateRq plain = Request(new PresentationContextRequest(3, CtImage, DicomNetworkUids.ImplicitVRLittleEndian));
        AAssociateRq withRole = Request(new PresentationContextRequest(3, CtImage, DicomNetworkUids.ImplicitVRLittleEndian));
        withRole.UserInformation.RoleSelections.Add(new ScpScuRoleSelection(CtImage, false, true));
        var getOnly = new AssociationPermissions(true, DicomServices.Get);

        ((AAssociateAc)Policy().Negotiate(plain, false, getOnly)).PresentationContexts[0].Result
            .Should().Be(PresentationContextResult.AbstractSyntaxNotSupported);
        ((AAssociateAc)Policy().Negotiate(withRole, false, getOnly)).PresentationContexts[0].Result
            .Should().Be(PresentationContextResult.Acceptance);
    }

    [Test]
    public void ServiceOf_QueryRetrieveAndStorageUids_Classified()
    {
        AssociationNegotiationPolicy.ServiceOf("1.2.840.10008.5.1.4.1.2.2.1").Should().Be(DicomServices.Find);
        AssociationNegotiationPolicy.ServiceOf("1.2.840.10008.5.1.4.1.2.1.2").Should().Be(DicomServices.Move);
        AssociationNegotiationPolicy.ServiceOf("1.2.840.10008.5.1.4.1.2.2.3").Should().Be(DicomServices.Get);
        AssociationNegotiationPolicy.ServiceOf(CtImage).Should().Be(DicomServices.Store);
        AssociationNegotiationPolicy.ServiceOf("1.2.3.4").Should().Be(DicomServices.None);
    }
}
