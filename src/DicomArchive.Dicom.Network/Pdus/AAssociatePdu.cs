using DicomArchive.Dicom.Network.Items;

namespace DicomArchive.Dicom.Network.Pdus;

/// <summary>
/// The fields shared by A-ASSOCIATE-RQ and A-ASSOCIATE-AC (PS3.8 Tables 9-11 and 9-17).
/// <code>
///  6                  8          10                26                42            74
/// +------------------+----------+-----------------+-----------------+-------------+-----------------------+
/// | protocol-version | reserved | called AE title | calling AE title| reserved    | variable items:       |
/// | (uint16, bit 0)  |          | (16, space pad) | (16, space pad) | (32 bytes)  | 10H, 20H/21H..., 50H  |
/// +------------------+----------+-----------------+-----------------+-------------+-----------------------+
/// </code>
/// </summary>
public abstract class AAssociatePdu : Pdu
{
    /// <summary>The DICOM application context name (PS3.7 A.2.1).</summary>
    public const string DicomApplicationContextName = "1.2.840.10008.3.1.1.1";

    /// <summary>Offset, within the variable field, of the first item.</summary>
    private protected const int FixedFieldsLength = 2 + 2 + 16 + 16 + 32;

    private protected AAssociatePdu()
    {
    }

    /// <summary>Protocol-version bit field; bit 0 set means version 1 (PS3.8 9.3.2).</summary>
    public ushort ProtocolVersion { get; set; } = 1;

    public string CalledAeTitle { get; set; } = string.Empty;

    public string CallingAeTitle { get; set; } = string.Empty;

    public string ApplicationContextName { get; set; } = DicomApplicationContextName;

    public UserInformation UserInformation { get; set; } = new();

    private protected int CommonItemsLength => FixedFieldsLength + 4 + ApplicationContextName.Length + UserInformation.EncodedLength;

    private protected void WriteFixedFields(ref PduSpanWriter writer)
    {
        writer.WriteUInt16(ProtocolVersion);
        writer.WriteZeros(2);
        writer.WriteAeTitle(CalledAeTitle);
        writer.WriteAeTitle(CallingAeTitle);
        writer.WriteZeros(32);
        writer.WriteItemHeader((byte)ItemType.ApplicationContext, ApplicationContextName.Length);
        writer.WriteAscii(ApplicationContextName);
    }

    private protected void ReadFixedFields(ref PduSpanReader body)
    {
        ProtocolVersion = body.ReadUInt16("Protocol-version");
        body.Skip(2, "Reserved");
        CalledAeTitle = body.ReadAeTitle("Called-AE-title");
        CallingAeTitle = body.ReadAeTitle("Calling-AE-title");
        body.Skip(32, "Reserved");
    }

    /// <summary>Reads the variable items; <paramref name="onPresentationContext"/> handles 20H or 21H.</summary>
    private protected void ReadItems(ref PduSpanReader body, ItemType presentationContextType, PresentationContextHandler onPresentationContext)
    {
        bool sawApplicationContext = false;
        bool sawUserInformation = false;
        long pduStart = body.Position;
        while (!body.IsEmpty)
        {
            long itemStart = body.Position;
            byte type = body.ReadByte("Item-type");
            body.Skip(1, "Item reserved field");
            ushort length = body.ReadUInt16("Item-length");
            var item = body.ReadNested(length, "Item");
            if (type == (byte)ItemType.ApplicationContext)
            {
                if (sawApplicationContext)
                {
                    throw new DicomContentException("Two application context items", itemStart);
                }

                ApplicationContextName = item.ReadAscii(length, "Application-context-name");
                sawApplicationContext = true;
            }
            else if (type == (byte)presentationContextType)
            {
                onPresentationContext(ref item, itemStart);
            }
            else if (type == (byte)ItemType.UserInformation)
            {
                if (sawUserInformation)
                {
                    throw new DicomContentException("Two user information items", itemStart);
                }

                UserInformation = UserInformation.Read(ref item);
                sawUserInformation = true;
            }

            // PS3.8 9.3.1: any other item type is ignored.
        }

        if (!sawApplicationContext)
        {
            throw new DicomContentException("No application context item", pduStart);
        }
    }

    private protected delegate void PresentationContextHandler(ref PduSpanReader item, long itemStart);
}
