namespace DicomArchive.Dicom;

/// <summary>
/// A data element of a data set (PS3.5 7.1): a tag, a VR and a value. The value is one of three shapes:
/// bytes (<see cref="DicomValueElement"/>), items (<see cref="DicomSequence"/>) or encapsulated fragments
/// (<see cref="DicomFragmentSequence"/>).
/// </summary>
public abstract class DicomElement
{
    private protected DicomElement(DicomTag tag, DicomVR vr)
    {
        Tag = tag;
        VR = vr;
    }

    public DicomTag Tag { get; }

    public DicomVR VR { get; }

    public override string ToString() => $"{Tag} {DicomVRInfo.Name(VR)}";
}
