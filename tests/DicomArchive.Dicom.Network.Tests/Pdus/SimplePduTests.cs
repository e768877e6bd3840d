using System.Buffers;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Transport;

namespace DicomArchive.Dicom.Network.Tests.Pdus;

public sealed class SimplePduTests
{
    // PS3.8 Table 9-21.
    [Test]
    public void EncodeDecode_AssociateReject_MatchesTableLayout()
    {
        var rj = new AAssociateRj(AssociateRejectResult.RejectedTransient, AssociateRejectSource.ServiceProviderPresentation,
            AssociateRejectReason.LocalLimitExceeded);

        rj.ToArray().Should().Equal(0x03, 0x00, 0, 0, 0, 4, 0x00, 0x02, 0x03, 0x02);
        AAssociateRj decoded = AAssociateRj.Decode(new byte[] { 0, 1, 1, 7 });
        decoded.Result.Should().Be(AssociateRejectResult.RejectedPermanent);
        decoded.Source.Should().Be(AssociateRejectSource.ServiceUser);
        decoded.Reason.Should().Be(AssociateRejectReason.CalledAeTitleNotRecognized);
    }

    [TestCase(new byte[] { 0, 0, 1, 1 })]
    [TestCase(new byte[] { 0, 1, 4, 1 })]
    [TestCase(new byte[] { 0, 1, 1 })]
    public void Decode_InvalidAssociateReject_ThrowsContentException(byte[] body)
    {
        var act = () => AAssociateRj.Decode(body);

        act.Should().Throw<DicomContentException>();
    }

    // PS3.8 Tables 9-24, 9-25, 9-26.
    [Test]
    public void Encode_ReleaseAndAbort_MatchTableLayout()
    {
        AReleaseRq.Instance.ToArray().Should().Equal(0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0);
        AReleaseRp.Instance.ToArray().Should().Equal(0x06, 0, 0, 0, 0, 4, 0, 0, 0, 0);
        new AAbort(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue).ToArray()
            .Should().Equal(0x07, 0, 0, 0, 0, 4, 0, 0, 2, 6);
        AAbort abort = AAbort.Decode(new byte[] { 0, 0, 2, 1 });
        abort.Source.Should().Be(AbortSource.ServiceProvider);
        abort.Reason.Should().Be(AbortReason.UnrecognizedPdu);
    }

    // PS3.8 Table 9-22, 9-23 and Annex E.2 (message control header).
    [Test]
    public void EncodeDecode_PData_MatchesTableLayout()
    {
        var pdata = new PDataTf(
            new PresentationDataValue(1, IsCommand: true, IsLastFragment: true, new byte[] { 0xAA, 0xBB }),
            new PresentationDataValue(3, IsCommand: false, IsLastFragment: false, new byte[] { 0xCC }));

        byte[] expected = Bytes.New().Pdu(0x04, Bytes.New()
            .U32(4).Add(0x01, 0x03, 0xAA, 0xBB)
            .U32(3).Add(0x03, 0x00, 0xCC)).ToArray();
        pdata.ToArray().Should().Equal(expected);

        PDataTf decoded = PDataTf.Decode(expected.AsMemory(6));
        decoded.Values.Should().HaveCount(2);
        decoded.Values[0].IsCommand.Should().BeTrue();
        decoded.Values[0].IsLastFragment.Should().BeTrue();
        decoded.Values[0].Fragment.ToArray().Should().Equal(0xAA, 0xBB);
        decoded.Values[1].PresentationContextId.Should().Be(3);
        decoded.Values[1].IsCommand.Should().BeFalse();
        decoded.Values[1].IsLastFragment.Should().BeFalse();
    }

    [Test]
    public void WriteSinglePdvHeader_MatchesEncodedPdu()
    {
        byte[] header = new byte[12];
        PDataTf.WriteSinglePdvHeader(header, 5, isCommand: false, isLastFragment: true, fragmentLength: 3);

        byte[] full = new PDataTf(new PresentationDataValue(5, false, true, new byte[3])).ToArray();
        header.Should().Equal(full.AsSpan(0, 12).ToArray());
    }

    [TestCase("00000010 01 03 AA")]
    [TestCase("00000001 01")]
    [TestCase("000000")]
    [TestCase("00000002 01 07")]
    [TestCase("")]
    public void Decode_InvalidPData_ThrowsContentException(string hex)
    {
        byte[] body = Bytes.New().Hex(hex).ToArray();

        var act = () => PDataTf.Decode(body);

        act.Should().Throw<DicomContentException>();
    }

    [Test]
    public void TryReadPdu_DeclaredLengthOverMaximum_AbortsWithInvalidParameterBeforeBuffering()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.New().Add(0x04, 0).U32(1_000_000).ToArray());

        var act = () => PduFrameReader.TryReadPdu(ref buffer, 16384, out _, out _);

        act.Should().Throw<DicomAbortException>().Which.Reason.Should().Be(AbortReason.InvalidPduParameterValue);
    }

    [Test]
    public void TryReadPdu_UnknownType_AbortsWithUnrecognizedPdu()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.New().Add(0x09, 0).U32(4).Zeros(4).ToArray());

        var act = () => PduFrameReader.TryReadPdu(ref buffer, 16384, out _, out _);

        act.Should().Throw<DicomAbortException>().Which.Reason.Should().Be(AbortReason.UnrecognizedPdu);
    }

    [Test]
    public void TryReadPdu_ReleaseWithWrongLength_AbortsWithInvalidParameter()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes.New().Add(0x05, 0).U32(100).Zeros(100).ToArray());

        var act = () => PduFrameReader.TryReadPdu(ref buffer, 16384, out _, out _);

        act.Should().Throw<DicomAbortException>().Which.Reason.Should().Be(AbortReason.InvalidPduParameterValue);
    }

    [Test]
    public void TryReadPdu_IncompletePdu_ReturnsFalseAndDoesNotAdvance()
    {
        byte[] bytes = AReleaseRq.Instance.ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes, 0, bytes.Length - 1);

        bool read = PduFrameReader.TryReadPdu(ref buffer, 16384, out _, out _);

        read.Should().BeFalse();
        buffer.Length.Should().Be(bytes.Length - 1);
    }

    [Test]
    public void TryReadPdu_TwoPdus_ReadsFirstAndAdvances()
    {
        byte[] bytes = [.. AReleaseRq.Instance.ToArray(), .. AReleaseRp.Instance.ToArray()];
        var buffer = new ReadOnlySequence<byte>(bytes);

        PduFrameReader.TryReadPdu(ref buffer, 16384, out PduType type, out ReadOnlySequence<byte> body).Should().BeTrue();

        type.Should().Be(PduType.AReleaseRq);
        body.Length.Should().Be(4);
        buffer.Length.Should().Be(10);
    }

    [Test]
    public async Task SendAsync_LargeMessage_FragmentsToPeerMaximum()
    {
        var stream = new MemoryStream();
        await using (var connection = new PduConnection(stream, 16384))
        {
            byte[] message = new byte[1000];
            Random.Shared.NextBytes(message);
            await PDataSender.SendAsync(connection, 7, isCommand: false, message, peerMaxLength: 106, CancellationToken.None);
            stream.Position = 0;
            await using var reader = new PduConnection(new MemoryStream(stream.ToArray()), 16384);
            var received = new List<byte>();
            int count = 0;
            while (await reader.ReadPduAsync(CancellationToken.None) is PDataTf pdu)
            {
                pdu.BodyLength.Should().BeLessThanOrEqualTo(106);
                PresentationDataValue pdv = pdu.Values.Should().ContainSingle().Subject;
                received.AddRange(pdv.Fragment.ToArray());
                count++;
                pdv.IsLastFragment.Should().Be(received.Count == 1000);
            }

            count.Should().Be(10);
            received.Should().Equal(message);
        }
    }

    [Test]
    public async Task SendStreamAsync_StreamSource_LastFragmentFlagOnlyOnFinalPdv()
    {
        var output = new MemoryStream();
        byte[] message = new byte[250];
        Random.Shared.NextBytes(message);
        await using (var connection = new PduConnection(output, 16384))
        {
            await PDataSender.SendStreamAsync(connection, 1, new MemoryStream(message), peerMaxLength: 106, CancellationToken.None);
        }

        await using var reader = new PduConnection(new MemoryStream(output.ToArray()), 16384);
        var flags = new List<bool>();
        var received = new List<byte>();
        while (await reader.ReadPduAsync(CancellationToken.None) is PDataTf pdu)
        {
            flags.Add(pdu.Values[0].IsLastFragment);
            received.AddRange(pdu.Values[0].Fragment.ToArray());
        }

        flags.Should().Equal(false, false, true);
        received.Should().Equal(message);
    }
}
