using System.Collections.Concurrent;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Dicom.Network.Tests.Server;

/// <summary>Reads every data set to the end and keeps (or only counts) its bytes.</summary>
internal sealed class RecordingStoreHandler : IStoreHandler
{
    readonly bool _keep;
    readonly bool _copyTo;

    /// <param name="keep">Keep the received bytes (else only count them).</param>
    /// <param name="copyTo">Read with Stream.CopyToAsync (the archive's way) instead of ReadAsync calls.</param>
    public RecordingStoreHandler(bool keep = true, bool copyTo = false)
    {
        _keep = keep;
        _copyTo = copyTo;
    }

    public ConcurrentDictionary<string, byte[]> Received { get; } = new();

    public long TotalBytes;

    public DimseStatus Status { get; set; } = DimseStatus.Success;

    public async ValueTask<DimseStatus> OnStoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
    {
        var copy = new MemoryStream();
        if (_copyTo)
        {
            await dataSet.CopyToAsync(copy, cancellationToken);
            Interlocked.Add(ref TotalBytes, copy.Length);
            Received[request.SopInstanceUid] = copy.ToArray();
            return Status;
        }

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
