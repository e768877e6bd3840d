namespace DicomArchive.Dicom;

/// <summary>This implementation's identity in File Meta Information and association negotiation (PS3.7 D.3.3.2).</summary>
public static class DicomImplementation
{
    /// <summary>
    /// The root under which this project makes UIDs: a 2.25 UUID-derived root (PS3.5 B.2), so no registration is needed.
    /// </summary>
    public const string UidRoot = "2.25.214372865381457613924390485722510893187";

    /// <summary>Implementation Class UID (0002,0012) and user information item 52H.</summary>
    public const string ClassUid = UidRoot + ".1";

    /// <summary>Implementation Version Name (0002,0013) and item 55H: at most 16 characters of the default repertoire.</summary>
    public const string VersionName = "DICOMARCHIVE_010";

    /// <summary>A new UID under <see cref="UidRoot"/> (PS3.5 B.2: a UUID as decimal under 2.25 is itself unique).</summary>
    public static string NewUid() => "2.25." + new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true, isBigEndian: false).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
