using DicomArchive.Dicom;

namespace DicomArchive.Service.Verbs;

/// <summary>The one place the verbs open DICOM files through (the streaming reader of DicomArchive.Dicom).</summary>
internal static class DicomFileLoader
{
    /// <summary>True when a reader is built in (the interop tests are ignored otherwise).</summary>
    public static bool IsAvailable => true;

    /// <exception cref="DicomContentException">The file is not DICOM we can read.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static Task<DicomFile> OpenAsync(string path, DicomReaderOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        return DicomFileReader.OpenAsync(path, options, cancellationToken);
    }
}
