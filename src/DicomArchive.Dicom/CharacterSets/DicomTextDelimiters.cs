namespace DicomArchive.Dicom;

/// <summary>
/// The characters before which the initial code set of value 1 must be active again (PS3.5 6.1.2.5.3): control
/// characters (CR, LF, FF, TAB...), the value delimiter '\' of the multi-valued string VRs, and '^' and '=' of PN.
/// </summary>
internal readonly struct DicomTextDelimiters
{
    private readonly bool backslash;
    private readonly bool personName;

    public DicomTextDelimiters(DicomVR vr)
    {
        // LT, ST and UT hold one value; a backslash there is text, not a delimiter (PS3.5 6.2).
        backslash = !DicomVRInfo.IsSingleValuedText(vr);
        personName = vr == DicomVR.PN;
    }

    public bool IsDelimiter(int c) =>
        (c < 0x20 && c != 0x1B) || (c == '\\' && backslash) || ((c == '^' || c == '=') && personName);
}
