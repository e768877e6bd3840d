namespace DicomArchive.Storage;

/// <summary>The outcome of a store: the DIMSE status to answer and, on success, where the instance is.</summary>
/// <param name="Status">The C-STORE response status (see <see cref="StoreStatus"/>).</param>
/// <param name="ErrorComment">For failures: the Error Comment (0000,0902), at most 64 characters.</param>
/// <param name="RelativePath">On success: the file's path relative to the StorageRoot ('/'-separated).</param>
/// <param name="IsDuplicate">True when the SOP Instance UID was already stored (and the duplicate policy applied).</param>
public sealed record StoreResult(ushort Status, string? ErrorComment = null, string? RelativePath = null, bool IsDuplicate = false)
{
    public bool IsSuccess => Status == StoreStatus.Success;

    internal static StoreResult Failure(ushort status, string comment) =>
        new(status, comment.Length > 64 ? comment[..64] : comment);
}
