using DicomArchive.Dicom.Network.Pdus;

namespace DicomArchive.Dicom.Network.Items;

/// <summary>
/// User information item of the A-ASSOCIATE-RQ/AC (PS3.8 9.3.2.3, 9.3.3.3 and Annex D; PS3.7 D.3.3).
/// <code>
///  0     1      2             4
/// +-----+------+-------------+-----------------------------------------------------------+
/// | 50H | rsvd | item length | user data sub-items: 51H max length (required), 52H       |
/// |     |      | (uint16 BE) | implementation class UID (required), 53H, 54H*, 55H, 56H*, |
/// |     |      |             | 57H*, 58H (RQ) / 59H (AC); unknown sub-items are skipped   |
/// +-----+------+-------------+-----------------------------------------------------------+
/// Maximum length sub-item (PS3.8 D.1, Table D.1-1):  51H | rsvd | 0004H | max length (uint32 BE)
/// Implementation class UID (PS3.7 D.3.3.2):          52H | rsvd | length | UID
/// Asynchronous operations window (PS3.7 D.3.3.3):    53H | rsvd | 0004H | max invoked (uint16) | max performed (uint16)
/// Implementation version name (PS3.7 D.3.3.2):       55H | rsvd | length | 1-16 characters
/// </code>
/// </summary>
public sealed class UserInformation
{
    /// <summary>
    /// Maximum length of the variable field of the P-DATA-TF PDUs this side can receive (PS3.8 D.1); 0 means no limit.
    /// </summary>
    public uint MaximumLength { get; set; }

    public string? ImplementationClassUid { get; set; }

    public string? ImplementationVersionName { get; set; }

    /// <summary>Asynchronous operations window (PS3.7 D.3.3.3); null when not negotiated (the default 1/1 then applies).</summary>
    public AsynchronousOperationsWindow? AsynchronousOperationsWindow { get; set; }

    public IList<ScpScuRoleSelection> RoleSelections { get; } = new List<ScpScuRoleSelection>();

    public IList<SopClassExtendedNegotiation> ExtendedNegotiations { get; } = new List<SopClassExtendedNegotiation>();

    public IList<SopClassCommonExtendedNegotiation> CommonExtendedNegotiations { get; } = new List<SopClassCommonExtendedNegotiation>();

    public UserIdentityRequest? UserIdentityRequest { get; set; }

    public UserIdentityResponse? UserIdentityResponse { get; set; }

    internal int EncodedLength
    {
        get
        {
            int length = 4 + 8;
            if (ImplementationClassUid is not null)
            {
                length += 4 + ImplementationClassUid.Length;
            }

            if (AsynchronousOperationsWindow is not null)
            {
                length += 8;
            }

            foreach (ScpScuRoleSelection role in RoleSelections)
            {
                length += role.EncodedLength;
            }

            if (ImplementationVersionName is not null)
            {
                length += 4 + ImplementationVersionName.Length;
            }

            foreach (SopClassExtendedNegotiation ext in ExtendedNegotiations)
            {
                length += ext.EncodedLength;
            }

            foreach (SopClassCommonExtendedNegotiation ext in CommonExtendedNegotiations)
            {
                length += ext.EncodedLength;
            }

            length += UserIdentityRequest?.EncodedLength ?? 0;
            length += UserIdentityResponse?.EncodedLength ?? 0;
            return length;
        }
    }

    internal void Write(ref PduSpanWriter writer)
    {
        writer.WriteItemHeader((byte)ItemType.UserInformation, EncodedLength - 4);
        writer.WriteItemHeader((byte)ItemType.MaximumLength, 4);
        writer.WriteUInt32(MaximumLength);
        if (ImplementationClassUid is not null)
        {
            writer.WriteItemHeader((byte)ItemType.ImplementationClassUid, ImplementationClassUid.Length);
            writer.WriteAscii(ImplementationClassUid);
        }

        if (AsynchronousOperationsWindow is { } window)
        {
            writer.WriteItemHeader((byte)ItemType.AsynchronousOperationsWindow, 4);
            writer.WriteUInt16(window.MaximumOperationsInvoked);
            writer.WriteUInt16(window.MaximumOperationsPerformed);
        }

        foreach (ScpScuRoleSelection role in RoleSelections)
        {
            role.Write(ref writer);
        }

        if (ImplementationVersionName is not null)
        {
            writer.WriteItemHeader((byte)ItemType.ImplementationVersionName, ImplementationVersionName.Length);
            writer.WriteAscii(ImplementationVersionName);
        }

        foreach (SopClassExtendedNegotiation ext in ExtendedNegotiations)
        {
            ext.Write(ref writer);
        }

        foreach (SopClassCommonExtendedNegotiation ext in CommonExtendedNegotiations)
        {
            ext.Write(ref writer);
        }

        UserIdentityRequest?.Write(ref writer);
        UserIdentityResponse?.Write(ref writer);
    }

    internal static UserInformation Read(ref PduSpanReader body)
    {
        var info = new UserInformation();
        bool sawMaximumLength = false;
        while (!body.IsEmpty)
        {
            byte type = body.ReadByte("User data sub-item type");
            body.Skip(1, "User data sub-item reserved field");
            ushort length = body.ReadUInt16("User data sub-item length");
            var sub = body.ReadNested(length, "User data sub-item");
            switch ((ItemType)type)
            {
                case ItemType.MaximumLength:
                    info.MaximumLength = sub.ReadUInt32("Maximum-length-received");
                    sawMaximumLength = true;
                    break;
                case ItemType.ImplementationClassUid:
                    info.ImplementationClassUid = sub.ReadAscii(length, "Implementation-class-uid");
                    break;
                case ItemType.AsynchronousOperationsWindow:
                    info.AsynchronousOperationsWindow = new AsynchronousOperationsWindow(
                        sub.ReadUInt16("Maximum-number-operations-invoked"), sub.ReadUInt16("Maximum-number-operations-performed"));
                    break;
                case ItemType.ScpScuRoleSelection:
                    info.RoleSelections.Add(ScpScuRoleSelection.Read(ref sub));
                    break;
                case ItemType.ImplementationVersionName:
                    info.ImplementationVersionName = sub.ReadAscii(length, "Implementation-version-name");
                    break;
                case ItemType.SopClassExtendedNegotiation:
                    info.ExtendedNegotiations.Add(SopClassExtendedNegotiation.Read(ref sub));
                    break;
                case ItemType.SopClassCommonExtendedNegotiation:
                    info.CommonExtendedNegotiations.Add(SopClassCommonExtendedNegotiation.Read(ref sub));
                    break;
                case ItemType.UserIdentityRequest:
                    info.UserIdentityRequest = UserIdentityRequest.Read(ref sub);
                    break;
                case ItemType.UserIdentityResponse:
                    info.UserIdentityResponse = UserIdentityResponse.Read(ref sub);
                    break;
                default:
                    // PS3.8 9.3.1 / PS3.7 D.3.3: unrecognised user data sub-items are ignored.
                    break;
            }

        }

        // PS3.8 D.1: the maximum length sub-item is mandatory; a peer that omits it is taken as "no limit" to stay
        // interoperable (a stricter check would abort associations that otherwise work).
        if (!sawMaximumLength)
        {
            info.MaximumLength = 0;
        }

        return info;
    }
}

/// <summary>Asynchronous operations window (PS3.7 D.3.3.3): 0 means unlimited.</summary>
public readonly record struct AsynchronousOperationsWindow(ushort MaximumOperationsInvoked, ushort MaximumOperationsPerformed);
