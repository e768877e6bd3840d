using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Tests.Pdus;

public sealed class AssociatePduTests
{
    const string AppContext = "1.2.840.10008.3.1.1.1";
    const string Verification = "1.2.840.10008.1.1";
    const string ImplicitLE = "1.2.840.10008.1.2";
    const string ExplicitLE = "1.2.840.10008.1.2.1";
    const string CtImage = "1.2.840.10008.5.1.4.1.1.2";

    // PS3.8 Table 9-11 (A-ASSOCIATE-RQ), 9-12 (application context), 9-13..9-15 (presentation context, abstract and
    // transfer syntax sub-items), 9-16 (user information) and D.1-1 / D.3-1 / D.3-3 (user data sub-items).
    static Bytes RequestVector() => Bytes.New().Pdu(0x01, Bytes.New()
        .U16(0x0001).Zeros(2).Ae("ARCHIVE").Ae("MODALITY").Zeros(32)
        .Item(0x10, AppContext)
        .Item(0x20, Bytes.New().Add(0x01, 0, 0, 0).Item(0x30, Verification).Item(0x40, ImplicitLE))
        .Item(0x20, Bytes.New().Add(0x03, 0, 0, 0).Item(0x30, CtImage).Item(0x40, ExplicitLE).Item(0x40, ImplicitLE))
        .Item(0x50, Bytes.New()
            .Item(0x51, Bytes.New().U32(16384))
            .Item(0x52, "1.2.3.4")
            .Item(0x53, Bytes.New().U16(3).U16(1))
            .Item(0x54, Bytes.New().U16(CtImage.Length).Ascii(CtImage).Add(1, 1))
            .Item(0x55, "TESTIMPL_1")
            .Item(0x56, Bytes.New().U16(CtImage.Length).Ascii(CtImage).Add(1, 0, 1))
            .Add(0x57, 0x00).U16(2 + CtImage.Length + 2 + 19 + 2 + 2 + 5).U16(CtImage.Length).Ascii(CtImage)
                .U16(19).Ascii("1.2.840.10008.4.2.1").U16(7).U16(5).Ascii("1.2.3")
            .Item(0x58, Bytes.New().Add(2, 1).U16(4).Ascii("user").U16(6).Ascii("secret"))));

    static AAssociateRq RequestObject()
    {
        var rq = new AAssociateRq { CalledAeTitle = "ARCHIVE", CallingAeTitle = "MODALITY" };
        rq.PresentationContexts.Add(new PresentationContextRequest(1, Verification, ImplicitLE));
        rq.PresentationContexts.Add(new PresentationContextRequest(3, CtImage, ExplicitLE, ImplicitLE));
        rq.UserInformation.MaximumLength = 16384;
        rq.UserInformation.ImplementationClassUid = "1.2.3.4";
        rq.UserInformation.AsynchronousOperationsWindow = new AsynchronousOperationsWindow(3, 1);
        rq.UserInformation.RoleSelections.Add(new ScpScuRoleSelection(CtImage, true, true));
        rq.UserInformation.ImplementationVersionName = "TESTIMPL_1";
        rq.UserInformation.ExtendedNegotiations.Add(new SopClassExtendedNegotiation(CtImage, new byte[] { 1, 0, 1 }));
        rq.UserInformation.CommonExtendedNegotiations.Add(new SopClassCommonExtendedNegotiation(CtImage, "1.2.840.10008.4.2.1", "1.2.3"));
        rq.UserInformation.UserIdentityRequest = new UserIdentityRequest(UserIdentityType.UsernameAndPasscode, true,
            "user"u8.ToArray(), "secret"u8.ToArray());
        return rq;
    }

    [Test]
    public void Encode_AssociateRequest_MatchesTableLayout()
    {
        RequestObject().ToArray().Should().Equal(RequestVector().ToArray());
    }

    [Test]
    public void Decode_AssociateRequestVector_ReadsEveryField()
    {
        byte[] bytes = RequestVector().ToArray();
        var rq = AAssociateRq.Decode(bytes.AsSpan(6));

        rq.ProtocolVersion.Should().Be(1);
        rq.CalledAeTitle.Should().Be("ARCHIVE");
        rq.CallingAeTitle.Should().Be("MODALITY");
        rq.ApplicationContextName.Should().Be(AppContext);
        rq.PresentationContexts.Should().HaveCount(2);
        rq.PresentationContexts[1].Id.Should().Be(3);
        rq.PresentationContexts[1].AbstractSyntax.Should().Be(CtImage);
        rq.PresentationContexts[1].TransferSyntaxes.Should().Equal(ExplicitLE, ImplicitLE);
        UserInformation ui = rq.UserInformation;
        ui.MaximumLength.Should().Be(16384);
        ui.ImplementationClassUid.Should().Be("1.2.3.4");
        ui.ImplementationVersionName.Should().Be("TESTIMPL_1");
        ui.AsynchronousOperationsWindow.Should().Be(new AsynchronousOperationsWindow(3, 1));
        ui.RoleSelections.Should().ContainSingle().Which.Should().Be(new ScpScuRoleSelection(CtImage, true, true));
        ui.ExtendedNegotiations.Should().ContainSingle().Which.ServiceClassApplicationInformation.ToArray().Should().Equal(1, 0, 1);
        SopClassCommonExtendedNegotiation common = ui.CommonExtendedNegotiations.Should().ContainSingle().Subject;
        common.ServiceClassUid.Should().Be("1.2.840.10008.4.2.1");
        common.RelatedGeneralSopClassUids.Should().Equal("1.2.3");
        ui.UserIdentityRequest!.Type.Should().Be(UserIdentityType.UsernameAndPasscode);
        ui.UserIdentityRequest.PositiveResponseRequested.Should().BeTrue();
        ui.UserIdentityRequest.PrimaryField.ToArray().Should().Equal("user"u8.ToArray());
        ui.UserIdentityRequest.SecondaryField.ToArray().Should().Equal("secret"u8.ToArray());
    }

    [Test]
    public void Decode_UnknownItemsAndSubItems_AreSkipped()
    {
        byte[] bytes = Bytes.New()
            .U16(1).Zeros(2).Ae("A").Ae("B").Zeros(32)
            .Item(0x10, AppContext)
            .Item(0x7F, Bytes.New().Hex("DEADBEEF"))
            .Item(0x20, Bytes.New().Add(0x01, 0, 0, 0).Item(0x30, Verification).Item(0x6A, "junk").Item(0x40, ImplicitLE))
            .Item(0x50, Bytes.New().Item(0x51, Bytes.New().U32(0)).Item(0x5F, Bytes.New().Hex("0102")))
            .ToArray();

        var rq = AAssociateRq.Decode(bytes);

        rq.PresentationContexts.Should().ContainSingle().Which.TransferSyntaxes.Should().Equal(ImplicitLE);
        rq.UserInformation.MaximumLength.Should().Be(0);
    }

    [Test]
    public void Decode_AeTitleAndUidPadding_IsRemoved()
    {
        byte[] bytes = Bytes.New()
            .U16(1).Zeros(2).Ascii("  ARCHIVE       ").Ae("B").Zeros(32)
            .Item(0x10, AppContext + "\0")
            .Item(0x20, Bytes.New().Add(0x01, 0, 0, 0).Item(0x30, Verification + "\0").Item(0x40, ImplicitLE + "\0"))
            .Item(0x50, Bytes.New().Item(0x51, Bytes.New().U32(0)))
            .ToArray();

        var rq = AAssociateRq.Decode(bytes);

        rq.CalledAeTitle.Should().Be("ARCHIVE");
        rq.ApplicationContextName.Should().Be(AppContext);
        rq.PresentationContexts[0].AbstractSyntax.Should().Be(Verification);
    }

    // PS3.8 Table 9-17 (A-ASSOCIATE-AC) and 9-18 (presentation context item, AC).
    [Test]
    public void EncodeDecode_AssociateAccept_MatchesTableLayout()
    {
        var ac = new AAssociateAc { CalledAeTitle = "ARCHIVE", CallingAeTitle = "MODALITY" };
        ac.PresentationContexts.Add(new PresentationContextResponse(1, PresentationContextResult.Acceptance, ImplicitLE));
        ac.PresentationContexts.Add(new PresentationContextResponse(3, PresentationContextResult.AbstractSyntaxNotSupported, null));
        ac.UserInformation.MaximumLength = 65536;
        ac.UserInformation.ImplementationClassUid = "1.2.3.4";
        ac.UserInformation.UserIdentityResponse = new UserIdentityResponse("ok"u8.ToArray());

        byte[] expected = Bytes.New().Pdu(0x02, Bytes.New()
            .U16(1).Zeros(2).Ae("ARCHIVE").Ae("MODALITY").Zeros(32)
            .Item(0x10, AppContext)
            .Item(0x21, Bytes.New().Add(0x01, 0, 0, 0).Item(0x40, ImplicitLE))
            .Item(0x21, Bytes.New().Add(0x03, 0, 3, 0).Item(0x40, string.Empty))
            .Item(0x50, Bytes.New().Item(0x51, Bytes.New().U32(65536)).Item(0x52, "1.2.3.4").Item(0x59, Bytes.New().U16(2).Ascii("ok"))))
            .ToArray();

        ac.ToArray().Should().Equal(expected);
        var decoded = AAssociateAc.Decode(expected.AsSpan(6));
        decoded.PresentationContexts.Should().HaveCount(2);
        decoded.PresentationContexts[0].TransferSyntax.Should().Be(ImplicitLE);
        decoded.PresentationContexts[1].Result.Should().Be(PresentationContextResult.AbstractSyntaxNotSupported);
        decoded.PresentationContexts[1].TransferSyntax.Should().BeNull();
        decoded.UserInformation.MaximumLength.Should().Be(65536);
        decoded.UserInformation.UserIdentityResponse!.ServerResponse.ToArray().Should().Equal("ok"u8.ToArray());
    }

    [Test]
    public void Decode_ItemLengthPastEnclosingPdu_ThrowsContentException()
    {
        byte[] body = Bytes.New()
            .U16(1).Zeros(2).Ae("A").Ae("B").Zeros(32)
            .Item(0x10, AppContext)
            .Add(0x20, 0).U16(500).Add(0x01, 0, 0, 0)
            .ToArray();

        var act = () => AAssociateRq.Decode(body);

        act.Should().Throw<DicomContentException>().Which.Offset.Should().BeGreaterThan(0);
    }

    [Test]
    public void Decode_SubItemLengthPastPresentationContext_ThrowsContentException()
    {
        byte[] body = Bytes.New()
            .U16(1).Zeros(2).Ae("A").Ae("B").Zeros(32)
            .Item(0x10, AppContext)
            .Item(0x20, Bytes.New().Add(0x01, 0, 0, 0).Add(0x30, 0).U16(200).Ascii("1.2"))
            .ToArray();

        var act = () => AAssociateRq.Decode(body);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void Decode_TruncatedFixedFields_ThrowsContentException()
    {
        var act = () => AAssociateRq.Decode(new byte[40]);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void Decode_NoPresentationContext_ThrowsContentException()
    {
        byte[] body = Bytes.New().U16(1).Zeros(2).Ae("A").Ae("B").Zeros(32).Item(0x10, AppContext)
            .Item(0x50, Bytes.New().Item(0x51, Bytes.New().U32(0))).ToArray();

        var act = () => AAssociateRq.Decode(body);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void Decode_PresentationContextWithoutTransferSyntax_ThrowsContentException()
    {
        byte[] body = Bytes.New().U16(1).Zeros(2).Ae("A").Ae("B").Zeros(32).Item(0x10, AppContext)
            .Item(0x20, Bytes.New().Add(0x01, 0, 0, 0).Item(0x30, Verification)).ToArray();

        var act = () => AAssociateRq.Decode(body);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void Decode_MissingApplicationContext_ThrowsContentException()
    {
        byte[] body = Bytes.New().U16(1).Zeros(2).Ae("A").Ae("B").Zeros(32)
            .Item(0x20, Bytes.New().Add(0x01, 0, 0, 0).Item(0x30, Verification).Item(0x40, ImplicitLE)).ToArray();

        var act = () => AAssociateRq.Decode(body);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void Decode_NonAsciiInUid_ThrowsContentException()
    {
        byte[] body = Bytes.New().U16(1).Zeros(2).Ae("A").Ae("B").Zeros(32)
            .Add(0x10, 0).U16(3).Add(0x31, 0xFF, 0x32).ToArray();

        var act = () => AAssociateRq.Decode(body);

        act.Should().Throw<DicomContentException>();
    }
}
