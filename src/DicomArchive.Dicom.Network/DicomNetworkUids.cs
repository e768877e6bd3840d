namespace DicomArchive.Dicom.Network;

/// <summary>UIDs the network layer names directly (PS3.6 Annex A).</summary>
public static class DicomNetworkUids
{
    /// <summary>Verification SOP Class (PS3.4 A.4).</summary>
    public const string Verification = "1.2.840.10008.1.1";

    /// <summary>Implicit VR Little Endian: the default transfer syntax (PS3.5 10.1), always used for command sets.</summary>
    public const string ImplicitVRLittleEndian = "1.2.840.10008.1.2";

    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>Storage Commitment Push Model SOP Class (PS3.4 J.3).</summary>
    public const string StorageCommitmentPushModel = "1.2.840.10008.1.20.1";

    /// <summary>The well-known SOP Instance of the Storage Commitment Push Model (PS3.4 J.3.5).</summary>
    public const string StorageCommitmentPushModelInstance = "1.2.840.10008.1.20.1.1";
}
