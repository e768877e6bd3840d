namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>Decodes a PDU's variable field by its type.</summary>
public static class PduDecoder
{
    /// <summary>Whether <paramref name="type"/> is one of the PDU types of PS3.8 9.3.</summary>
    public static bool IsKnownType(byte type) => type is >= (byte)PduType.AAssociateRq and <= (byte)PduType.AAbort;

    /// <summary>Decodes the variable field of a PDU of type <paramref name="type"/>.</summary>
    /// <exception cref="DicomContentException">The bytes are not a valid PDU of that type (or the type is unknown).</exception>
    public static Pdu Decode(PduType type, ReadOnlyMemory<byte> body) => type switch
    {
        PduType.AAssociateRq => AAssociateRq.Decode(body.Span),
        PduType.AAssociateAc => AAssociateAc.Decode(body.Span),
        PduType.AAssociateRj => AAssociateRj.Decode(body.Span),
        PduType.PDataTf => PDataTf.Decode(body),
        PduType.AReleaseRq => AReleaseRq.Decode(body.Span),
        PduType.AReleaseRp => AReleaseRp.Decode(body.Span),
        PduType.AAbort => AAbort.Decode(body.Span),
        _ => throw new DicomContentException($"Unknown PDU type 0x{(byte)type:X2}", 0),
    };
}
