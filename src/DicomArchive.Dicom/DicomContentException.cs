namespace DicomArchive.Dicom;

/// <summary>
/// The bytes being read are not valid DICOM: a length larger than what remains, an unknown VR where one is
/// required, a broken item structure. Carries the byte offset in the source at which the problem was found.
/// Misuse of an API throws <see cref="InvalidOperationException"/> or <see cref="ArgumentException"/> instead.
/// </summary>
public sealed class DicomContentException : Exception
{
    public DicomContentException()
    {
    }

    public DicomContentException(string message)
        : base(message)
    {
    }

    public DicomContentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem found at <paramref name="offset"/> bytes into the source.</summary>
    public DicomContentException(string reason, long offset, Exception? innerException = null)
        : base($"{reason} (at offset {offset})", innerException)
    {
        Reason = reason;
        Offset = offset;
    }

    /// <summary>The problem, without the offset.</summary>
    public string? Reason { get; }

    /// <summary>The byte offset in the source at which the problem was found, or -1 when unknown.</summary>
    public long Offset { get; } = -1;
}
