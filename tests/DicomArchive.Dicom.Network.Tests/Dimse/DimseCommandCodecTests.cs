using DicomArchive.Dicom.Network.Dimse;

namespace DicomArchive.Dicom.Network.Tests.Dimse;

public sealed class DimseCommandCodecTests
{
    [Test]
    public void Encode_EchoRequest_IsImplicitLittleEndianWithGroupLength()
    {
        byte[] bytes = DimseCommandCodec.Encode(DimseCommand.CreateEchoRequest(7));

        // PS3.7 9.3.5.1 / E.1: (0000,0000) UL, (0000,0002) UI "1.2.840.10008.1.1\0", (0000,0100) US 0030,
        // (0000,0110) US 7, (0000,0800) US 0101.
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x02, 0x00, 0x12, 0x00, 0x00, 0x00, .. "1.2.840.10008.1.1\0"u8,
            0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x00,
            0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00,
            0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01,
        ];
        bytes.Should().Equal(expected);
    }

    [Test]
    public void EncodeDecode_StoreResponseWithEveryField_RoundTrips()
    {
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CMoveRsp,
            MessageIdBeingRespondedTo = 42,
            AffectedSopClassUid = "1.2.840.10008.5.1.4.1.2.2.2",
            AffectedSopInstanceUid = "1.2.3.4.5",
            Status = new DimseStatus(0xA701),
            ErrorComment = "Out of space",
            ErrorId = 3,
            OffendingElements = [new DicomTag(0x0010, 0x0010), new DicomTag(0x0008, 0x0018)],
            RemainingSuboperations = 1,
            CompletedSuboperations = 2,
            FailedSuboperations = 3,
            WarningSuboperations = 4,
            MoveDestination = "DEST",
            Priority = DimsePriority.High,
            MoveOriginatorAeTitle = "ORIG",
            MoveOriginatorMessageId = 9,
            EventTypeId = 1,
            ActionTypeId = 2,
            AttributeIdentifiers = [new DicomTag(0x0020, 0x000D)],
            RequestedSopClassUid = "1.2",
            RequestedSopInstanceUid = "1.3",
            HasDataSet = true,
        };

        DimseCommand decoded = DimseCommandCodec.Decode(DimseCommandCodec.Encode(command));

        decoded.Should().BeEquivalentTo(command);
    }

    [Test]
    public void Decode_ElementOutsideGroupZero_ThrowsContentException()
    {
        byte[] bytes = [0x08, 0x00, 0x18, 0x00, 0x02, 0x00, 0x00, 0x00, 0x31, 0x00];

        var act = () => DimseCommandCodec.Decode(bytes);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void Decode_LengthPastEnd_ThrowsContentException()
    {
        byte[] bytes = [0x00, 0x00, 0x00, 0x01, 0xFF, 0x00, 0x00, 0x00, 0x30, 0x00];

        var act = () => DimseCommandCodec.Decode(bytes);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void Decode_NoCommandField_ThrowsContentException()
    {
        byte[] bytes = [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00];

        var act = () => DimseCommandCodec.Decode(bytes);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void Decode_UsWithWrongLength_ThrowsContentException()
    {
        byte[] bytes = [0x00, 0x00, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00];

        var act = () => DimseCommandCodec.Decode(bytes);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void CreateResponse_StoreRequest_CarriesIdsAndUids()
    {
        var request = DimseCommand.CreateStoreRequest(5, "1.2.840.10008.5.1.4.1.1.2", "1.2.3");

        DimseCommand response = DimseCommand.CreateResponse(request, DimseStatus.Success);

        response.CommandField.Should().Be(DimseCommandField.CStoreRsp);
        response.MessageIdBeingRespondedTo.Should().Be(5);
        response.AffectedSopInstanceUid.Should().Be("1.2.3");
        response.HasDataSet.Should().BeFalse();
    }

    [TestCase((ushort)0x0000, DimseStatusCategory.Success)]
    [TestCase((ushort)0xFF00, DimseStatusCategory.Pending)]
    [TestCase((ushort)0xFF01, DimseStatusCategory.Pending)]
    [TestCase((ushort)0xFE00, DimseStatusCategory.Cancel)]
    [TestCase((ushort)0x0001, DimseStatusCategory.Warning)]
    [TestCase((ushort)0x0107, DimseStatusCategory.Warning)]
    [TestCase((ushort)0x0116, DimseStatusCategory.Warning)]
    [TestCase((ushort)0xB000, DimseStatusCategory.Warning)]
    [TestCase((ushort)0xB007, DimseStatusCategory.Warning)]
    [TestCase((ushort)0xA700, DimseStatusCategory.Failure)]
    [TestCase((ushort)0xA900, DimseStatusCategory.Failure)]
    [TestCase((ushort)0xC000, DimseStatusCategory.Failure)]
    [TestCase((ushort)0x0110, DimseStatusCategory.Failure)]
    [TestCase((ushort)0x0122, DimseStatusCategory.Failure)]
    [TestCase((ushort)0x0211, DimseStatusCategory.Failure)]
    public void Category_StatusCode_MatchesPs37AnnexC(ushort code, DimseStatusCategory category)
    {
        new DimseStatus(code).Category.Should().Be(category);
    }

    [Test]
    public void ToResponse_EveryRequest_SetsBit15()
    {
        DimseCommandField.CFindRq.ToResponse().Should().Be(DimseCommandField.CFindRsp);
        DimseCommandField.NActionRq.ToResponse().Should().Be(DimseCommandField.NActionRsp);
        DimseCommandField.NEventReportRsp.IsResponse().Should().BeTrue();
        DimseCommandField.CCancelRq.IsResponse().Should().BeFalse();
    }
}
