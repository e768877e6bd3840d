namespace DicomArchive.Dicom;

/// <summary>
/// A DICOM file (PS3.10 7.1): a 128-byte preamble, "DICM", the File Meta Information (group 0002, always
/// explicit VR little endian) and a data set in the transfer syntax the meta information names.
/// </summary>
public sealed class DicomFile
{
    public DicomFile(DicomDataset fileMetaInformation, DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(fileMetaInformation);
        ArgumentNullException.ThrowIfNull(dataset);
        FileMetaInformation = fileMetaInformation;
        Dataset = dataset;
    }

    /// <summary>The group 0002 elements; empty for a data set read without a meta header.</summary>
    public DicomDataset FileMetaInformation { get; }

    /// <summary>The data set (everything after the meta header).</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax of the data set: from (0002,0010), or as detected for a file without meta header.</summary>
    public TransferSyntax TransferSyntax { get; init; } = TransferSyntax.ExplicitVRLittleEndian;

    /// <summary>True when the source had the preamble and "DICM" prefix (PS3.10 7.1).</summary>
    public bool HasPreamble { get; init; }

    /// <summary>The 128-byte preamble as read, or null.</summary>
    public ReadOnlyMemory<byte> Preamble { get; init; }

    /// <summary>The path the file was opened from, when it was opened from a path.</summary>
    public string? SourcePath { get; init; }
}
