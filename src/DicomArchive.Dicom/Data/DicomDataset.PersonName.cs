namespace DicomArchive.Dicom;

/// <summary>Person Name getter.</summary>
public sealed partial class DicomDataset
{
    /// <summary>
    /// A PN value (PS3.5 6.2.1) decoded with the data set's character set and split into its component groups.
    /// <paramref name="index"/> selects a value of a multi-valued element. False when absent or empty.
    /// </summary>
    public bool TryGetPersonName(DicomTag tag, out DicomPersonName value, int index = 0)
    {
        value = default;
        var values = GetStrings(tag);
        if (index < 0 || index >= values.Length)
        {
            return false;
        }

        value = DicomPersonName.Parse(values[index]);
        return true;
    }
}
