using System.Collections.Concurrent;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Tests.Server;

/// <summary>Reads every data set to the end and keeps (or only counts) its bytes.</summary>
internal sealed class RecordingStoreHandler : IStoreHandler
{
    readonly bool _keep;

    public RecordingStoreHandler(bool keep = true) => _keep = keep;

    public ConcurrentDictionary<string, byte[]> Received { get; } = new();

    public long TotalBytes;

    public DimseStatus Status { get; set; } = DimseStatus.Success;

    public async ValueTask<DimseStatus> OnStoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
    {
        var copy = new MemoryStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = await dataSet.ReadAsync(buffer, cancellationToken)) > 0)
        {
            Interlocked.Add(ref TotalBytes, read);
            if (_keep)
            {
                copy.Write(buffer, 0, read);
            }
        }

        Received[request.SopInstanceUid] = copy.ToArray();
        return Status;
    }
}

internal sealed class ThrowingStoreHandler : IStoreHandler
{
    public ValueTask<DimseStatus> OnStoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("disk on fire");
}
