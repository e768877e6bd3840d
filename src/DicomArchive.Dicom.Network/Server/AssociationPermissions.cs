namespace DicomArchive.Dicom.Network.Server;

/// <summary>
/// What one caller may do, decided per association before negotiation: whether it may associate at all (when not, the
/// request is rejected with "calling AE title not recognized", PS3.8 9.3.4 reason 3) and which services' presentation
/// contexts are accepted (the others are answered "abstract syntax not supported", PS3.8 9.3.3.2 result 3).
/// </summary>
public sealed record AssociationPermissions(bool Allowed, DicomServices Services, string? DenialReason = null)
{
    /// <summary>Any caller may use every service.</summary>
    public static AssociationPermissions All { get; } = new(true, DicomServices.All);

    /// <summary>The caller is refused; <paramref name="reason"/> is logged and audited, never sent.</summary>
    public static AssociationPermissions Deny(string reason) => new(false, DicomServices.None, reason);

    public bool Permits(DicomServices service) => (Services & service) == service;
}
