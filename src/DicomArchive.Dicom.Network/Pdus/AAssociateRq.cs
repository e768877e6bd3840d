using DicomArchive.Dicom.Network.Items;

namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>
/// A-ASSOCIATE-RQ (PS3.8 9.3.2, Table 9-11): PDU type 01H; fixed fields as in <see cref="AAssociatePdu"/>, then one
/// application context item (10H), one or more presentation context items (20H) and one user information item (50H).
/// </summary>
public sealed class AAssociateRq : AAssociatePdu
{
    /// <summary>PS3.8 9.3.2.2: presentation context IDs are odd integers 1-255, so at most 128 contexts.</summary>
    public const int MaximumPresentationContexts = 128;

    public override PduType Type => PduType.AAssociateRq;

    public IList<PresentationContextRequest> PresentationContexts { get; } = new List<PresentationContextRequest>();

    public override int BodyLength
    {
        get
        {
            int length = CommonItemsLength;
            foreach (PresentationContextRequest pc in PresentationContexts)
            {
                length += pc.EncodedLength;
            }

            return length;
        }
    }

    private protected override void WriteBody(ref PduSpanWriter writer)
    {
        WriteFixedFields(ref writer);
        foreach (PresentationContextRequest pc in PresentationContexts)
        {
            pc.Write(ref writer);
        }

        UserInformation.Write(ref writer);
    }

    /// <summary>Decodes the variable field of an A-ASSOCIATE-RQ.</summary>
    /// <exception cref="DicomContentException">The bytes are not a valid A-ASSOCIATE-RQ.</exception>
    public static AAssociateRq Decode(ReadOnlySpan<byte> body)
    {
        var reader = new PduSpanReader(body, HeaderLength);
        var pdu = new AAssociateRq();
        pdu.ReadFixedFields(ref reader);
        pdu.ReadItems(ref reader, ItemType.PresentationContextRequest, pdu.AddContext);
        if (pdu.PresentationContexts.Count == 0)
        {
            throw new DicomContentException("A-ASSOCIATE-RQ proposes no presentation context", HeaderLength);
        }

        return pdu;
    }

    void AddContext(ref PduSpanReader item, long itemStart)
    {
        if (PresentationContexts.Count >= MaximumPresentationContexts)
        {
            throw new DicomContentException($"More than {MaximumPresentationContexts} presentation contexts", itemStart);
        }

        PresentationContexts.Add(PresentationContextRequest.Read(ref item));
    }
}
