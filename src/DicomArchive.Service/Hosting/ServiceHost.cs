namespace DicomArchive.Service.Hosting;

/// <summary>Runs the archive as a service: what `dicom-archive` does without a verb.</summary>
internal static class ServiceHost
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) =>
        ArchiveHost.RunAsync(args, Console.Error, cancellationToken);
}
