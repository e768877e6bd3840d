namespace DicomArchive.Service.Hosting;

/// <summary>
/// Runs the archive as a service (what `dicom-archive` does without a verb).
/// PLACEHOLDER: the generic host (DIMSE listener, storage, logging) replaces this file.
/// </summary>
internal static class ServiceHost
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        _ = args;
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(0);
    }
}
