namespace DicomArchive.Dicom;

/// <summary>
/// The VR an element has when its encoding does not say (implicit VR, PS3.5 A.1) or says UN (PS3.5 6.2.2): the
/// data dictionary's, with its "x or y" alternatives settled as the standard settles them.
/// </summary>
internal static class DicomImplicitVR
{
    /// <summary>(0028,0103) Pixel Representation: 1 means signed pixel values, which makes "US or SS" SS.</summary>
    public static readonly DicomTag PixelRepresentation = new(0x0028, 0x0103);

    /// <summary>
    /// The dictionary VR of a tag, UN when unknown. Of "US or SS" the one Pixel Representation selects
    /// (<paramref name="signedPixels"/>); of alternatives with OW the OW (native pixel data, overlay data and LUT data
    /// are OW in implicit VR, PS3.5 A.1 and 8.1.2); otherwise the first.
    /// </summary>
    public static DicomVR FromDictionary(DicomTag tag, bool signedPixels)
    {
        if (!DicomDictionary.TryGetEntry(tag, out var entry) || entry.VR == DicomVR.None)
        {
            return DicomVR.UN;
        }

        var first = entry.VR;
        var second = entry.AlternateVR;
        if (second == DicomVR.None)
        {
            return first;
        }

        if (first == DicomVR.OW || second == DicomVR.OW)
        {
            return DicomVR.OW;
        }

        if (first is DicomVR.US or DicomVR.SS && second is DicomVR.US or DicomVR.SS)
        {
            return signedPixels ? DicomVR.SS : DicomVR.US;
        }

        return first;
    }

    /// <summary>True when a data set says its pixel values are signed (PS3.3 C.7.6.3.1.1: Pixel Representation 0001H).</summary>
    public static bool HasSignedPixels(DicomDataset dataset) => dataset.TryGetInt32(PixelRepresentation, out var value) && value == 1;
}
