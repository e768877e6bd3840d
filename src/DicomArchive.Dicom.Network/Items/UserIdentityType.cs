namespace DicomArchive.Dicom.Network.Items;

/// <summary>User-Identity-Type of the user identity negotiation sub-item (PS3.7 D.3.3.7.1, Table D.3-14).</summary>
public enum UserIdentityType : byte
{
    Username = 1,
    UsernameAndPasscode = 2,
    KerberosServiceTicket = 3,
    SamlAssertion = 4,
    JsonWebToken = 5,
}
