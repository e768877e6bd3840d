namespace DicomArchive.Dicom;

/// <summary>One row of the data dictionary (PS3.6 Tables 6-1, 7-1, 8-1, 9-1 and PS3.7 E.1-1, E.2-1).</summary>
public sealed class DicomDictionaryEntry
{
    public DicomDictionaryEntry(uint tag, uint mask, string keyword, string name, DicomVR vr, DicomVR alternateVR, string vm, bool isRetired)
    {
        Tag = new DicomTag(tag);
        Mask = mask;
        Keyword = keyword;
        Name = name;
        VR = vr;
        AlternateVR = alternateVR;
        ValueMultiplicity = vm;
        IsRetired = isRetired;
    }

    /// <summary>The tag; for a repeating group (50xx, 60xx) or element (0020,31xx) the bits under <see cref="Mask"/>.</summary>
    public DicomTag Tag { get; }

    /// <summary>0xFFFFFFFF for a single tag; clears the "xx" digits of a repeating group or element.</summary>
    public uint Mask { get; }

    public string Keyword { get; }

    public string Name { get; }

    /// <summary>The VR, or the first of "US or SS"-style alternatives; <see cref="DicomVR.None"/> for items and delimiters.</summary>
    public DicomVR VR { get; }

    /// <summary>The second VR of "US or SS", "OB or OW"; <see cref="DicomVR.None"/> when there is only one.</summary>
    public DicomVR AlternateVR { get; }

    /// <summary>The value multiplicity as the standard writes it ("1", "1-n", "2-2n").</summary>
    public string ValueMultiplicity { get; }

    public bool IsRetired { get; }

    /// <summary>True when the entry covers more than one tag (a repeating group or element).</summary>
    public bool IsRepeating => Mask != 0xFFFFFFFF;

    public override string ToString() => $"{Tag} {Keyword} {DicomVRInfo.Name(VR)} {ValueMultiplicity}";
}
