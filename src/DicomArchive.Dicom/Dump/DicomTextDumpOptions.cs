namespace DicomArchive.Dicom.Dump;

/// <summary>How much of each value <see cref="DicomTextDumper"/> prints.</summary>
public sealed class DicomTextDumpOptions
{
    /// <summary>
    /// Binary values (OB, OW, pixel data fragments, long US/FL arrays...) are cut after this many values and end in "...".
    /// String values are always printed whole.
    /// </summary>
    public int MaxBinaryValues { get; init; } = 16;

    public static DicomTextDumpOptions Default { get; } = new();
}
