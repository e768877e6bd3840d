namespace DicomArchive.Dicom.Network.Dimse;

/// <summary>A DIMSE response as a client receives it: the command and, when one followed, the data set bytes.</summary>
public sealed record DimseResponse(DimseCommand Command, ReadOnlyMemory<byte>? DataSet)
{
    public DimseStatus Status => Command.Status ?? DimseStatus.ProcessingFailure;
}
