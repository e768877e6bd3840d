namespace DicomArchive.Storage;

/// <summary>The storage folder is owned by another process.</summary>
public sealed class StorageInUseException : InvalidOperationException
{
    public StorageInUseException()
    {
    }

    public StorageInUseException(string message)
        : base(message)
    {
    }

    public StorageInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
