namespace DicomArchive.Dicom;

/// <summary>A sequence of items (PS3.5 7.5): an SQ element whose value is zero or more nested data sets.</summary>
public sealed class DicomSequence : DicomElement
{
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null)
        : base(tag, DicomVR.SQ)
    {
        Items = items is null ? [] : [.. items];
    }

    /// <summary>Creates a sequence element with the VR it was read with: SQ, or UN holding an implicit sequence (PS3.5 6.2.2).</summary>
    public DicomSequence(DicomTag tag, DicomVR vr, IEnumerable<DicomDataset>? items = null)
        : base(tag, vr)
    {
        Items = items is null ? [] : [.. items];
    }

    public List<DicomDataset> Items { get; }

    /// <summary>True when the sequence was read with undefined length (PS3.5 7.5.1), so a writer can keep the form.</summary>
    public bool HadUndefinedLength { get; init; }
}
