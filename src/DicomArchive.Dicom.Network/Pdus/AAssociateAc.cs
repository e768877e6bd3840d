using DicomArchive.Dicom.Network.Items;

namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>
/// A-ASSOCIATE-AC (PS3.8 9.3.3, Table 9-17): PDU type 02H; the fixed fields repeat the request's (PS3.8 9.3.3: the AE
/// titles are returned but not tested), then one application context item (10H), a presentation context item (21H) for
/// every proposed context, and one user information item (50H).
/// </summary>
public sealed class AAssociateAc : AAssociatePdu
{
    public override PduType Type => PduType.AAssociateAc;

    public IList<PresentationContextResponse> PresentationContexts { get; } = new List<PresentationContextResponse>();

    public override int BodyLength
    {
        get
        {
            int length = CommonItemsLength;
            foreach (PresentationContextResponse pc in PresentationContexts)
            {
                length += pc.EncodedLength;
            }

            return length;
        }
    }

    private protected override void WriteBody(ref PduSpanWriter writer)
    {
        WriteFixedFields(ref writer);
        foreach (PresentationContextResponse pc in PresentationContexts)
        {
            pc.Write(ref writer);
        }

        UserInformation.Write(ref writer);
    }

    /// <summary>Decodes the variable field of an A-ASSOCIATE-AC.</summary>
    /// <exception cref="DicomContentException">The bytes are not a valid A-ASSOCIATE-AC.</exception>
    public static AAssociateAc Decode(ReadOnlySpan<byte> body)
    {
        var reader = new PduSpanReader(body, HeaderLength);
        var pdu = new AAssociateAc();
        pdu.ReadFixedFields(ref reader);
        pdu.ReadItems(ref reader, ItemType.PresentationContextResponse, pdu.AddContext);
        return pdu;
    }

    void AddContext(ref PduSpanReader item, long itemStart)
    {
        if (PresentationContexts.Count >= AAssociateRq.MaximumPresentationContexts)
        {
            throw new DicomContentException("Too many presentation contexts", itemStart);
        }

        PresentationContexts.Add(PresentationContextResponse.Read(ref item));
    }
}
