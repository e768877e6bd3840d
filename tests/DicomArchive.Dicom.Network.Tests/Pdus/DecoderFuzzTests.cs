using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Tests.Pdus;

/// <summary>
/// Mutated and random inputs: every decoder either succeeds or throws <see cref="DicomContentException"/>, never
/// anything else (no IndexOutOfRange, no OutOfMemory from a peer-declared length).
/// </summary>
public sealed class DecoderFuzzTests
{
    static byte[] ValidRequestBody()
    {
        var rq = new AAssociateRq { CalledAeTitle = "A", CallingAeTitle = "B" };
        rq.PresentationContexts.Add(new PresentationContextRequest(1, DicomNetworkUids.Verification, DicomNetworkUids.ImplicitVRLittleEndian));
        rq.UserInformation.MaximumLength = 16384;
        rq.UserInformation.ImplementationClassUid = "1.2.3";
        rq.UserInformation.RoleSelections.Add(new ScpScuRoleSelection("1.2.3.4", true, false));
        rq.UserInformation.CommonExtendedNegotiations.Add(new SopClassCommonExtendedNegotiation("1.2", "1.3", "1.4"));
        rq.UserInformation.UserIdentityRequest = new UserIdentityRequest(UserIdentityType.Username, false, "u"u8.ToArray());
        return rq.ToArray()[6..];
    }

    static void ShouldOnlyThrowContentException(Action decode)
    {
        try
        {
            decode();
        }
        catch (DicomContentException)
        {
        }
    }

    [Test]
    public void Decoders_MutatedValidInputs_OnlyContentExceptions()
    {
        var random = new Random(1234);
        byte[] request = ValidRequestBody();
        byte[] command = DimseCommandCodec.Encode(DimseCommand.CreateStoreRequest(1, "1.2.3", "4.5.6"));
        byte[] pdata = new PDataTf(new PresentationDataValue(1, true, true, command)).ToArray()[6..];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] rq = Mutate(request, random);
            byte[] cmd = Mutate(command, random);
            byte[] pd = Mutate(pdata, random);
            ShouldOnlyThrowContentException(() => AAssociateRq.Decode(rq));
            ShouldOnlyThrowContentException(() => AAssociateAc.Decode(rq));
            ShouldOnlyThrowContentException(() => DimseCommandCodec.Decode(cmd));
            ShouldOnlyThrowContentException(() => PDataTf.Decode(pd));
            ShouldOnlyThrowContentException(() => AAssociateRj.Decode(cmd.AsSpan(0, Math.Min(4, cmd.Length))));
        }
    }

    [Test]
    public void Decoders_RandomBytes_OnlyContentExceptions()
    {
        var random = new Random(42);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            foreach (PduType type in Enum.GetValues<PduType>())
            {
                ShouldOnlyThrowContentException(() => PduDecoder.Decode(type, bytes));
            }

            ShouldOnlyThrowContentException(() => DimseCommandCodec.Decode(bytes));
        }
    }

    static byte[] Mutate(byte[] source, Random random)
    {
        byte[] copy = (byte[])source.Clone();
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            switch (random.Next(3))
            {
                case 0:
                    copy[random.Next(copy.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    copy = copy[..random.Next(copy.Length)];
                    if (copy.Length == 0)
                    {
                        return copy;
                    }

                    break;
                default:
                    copy[random.Next(copy.Length)] ^= 0xFF;
                    break;
            }
        }

        return copy;
    }
}
