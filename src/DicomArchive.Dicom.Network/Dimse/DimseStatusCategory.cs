namespace DicomArchive.Dicom.Network.Dimse;

/// <summary>Status categories of PS3.7 Annex C.</summary>
public enum DimseStatusCategory
{
    Success,
    Pending,
    Cancel,
    Warning,
    Failure,
}
