namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>
/// One presentation data value item of a P-DATA-TF (PS3.8 9.3.5.1, Table 9-23, and Annex E.2).
/// <code>
///  0                       4            5                      6
/// +-----------------------+------------+----------------------+------------------------------+
/// | item-length (uint32)  | pres. ctx  | message control hdr  | message fragment             |
/// | = 2 + fragment length | ID         | bit0 1=command       | (command or data set bytes)  |
/// |                       |            | bit1 1=last fragment |                              |
/// +-----------------------+------------+----------------------+------------------------------+
/// </code>
/// The fragment refers to the buffer it was decoded from and is valid only as long as that buffer.
/// </summary>
public readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLastFragment, ReadOnlyMemory<byte> Fragment)
{
    /// <summary>Bytes of PDV item header before the fragment: item length, context ID and message control header.</summary>
    public const int HeaderLength = 6;

    internal byte MessageControlHeader => (byte)((IsCommand ? 0x01 : 0x00) | (IsLastFragment ? 0x02 : 0x00));
}
