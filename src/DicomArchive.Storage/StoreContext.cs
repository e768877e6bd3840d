namespace DicomArchive.Storage;

/// <summary>What the C-STORE request and its association say about the instance being received.</summary>
/// <param name="SopClassUid">Affected SOP Class UID (0000,0002) of the command.</param>
/// <param name="SopInstanceUid">Affected SOP Instance UID (0000,1000) of the command.</param>
/// <param name="TransferSyntaxUid">The transfer syntax of the presentation context the data set arrives on.</param>
/// <param name="CallingAe">The calling AE title of the association (written as Source AE Title, 0002,0016).</param>
/// <param name="CalledAe">The called AE title of the association.</param>
/// <param name="RemoteAddress">The peer's address, for the index and logs.</param>
public sealed record StoreContext(
    string SopClassUid,
    string SopInstanceUid,
    string TransferSyntaxUid,
    string CallingAe = "",
    string CalledAe = "",
    string RemoteAddress = "");
