namespace DicomArchive.Dicom;

/// <summary>The outcome of decoding one element header; every failure becomes an exception in <see cref="DicomReaderErrors"/>.</summary>
internal enum ElementHeaderStatus
{
    /// <summary>A header was decoded.</summary>
    Ok,

    /// <summary>The source ends inside the header; nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>Explicit VR, and the two VR bytes are not a VR of PS3.5 Table 6.2-1.</summary>
    UnknownVR,
}
