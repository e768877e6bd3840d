namespace DicomArchive.Storage;

/// <summary>The DIMSE statuses the store answers (PS3.4 B.2.3, PS3.7 C).</summary>
public static class StoreStatus
{
    /// <summary>Success.</summary>
    public const ushort Success = 0x0000;

    /// <summary>PS3.4 B.2.3: Refused, Out of Resources (free disk below the threshold, index or file system failure).</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>PS3.4 B.2.3: Error, Data Set does not match SOP Class (UIDs disagree with the command, required UIDs missing).</summary>
    public const ushort DatasetDoesNotMatchSopClass = 0xA900;

    /// <summary>PS3.4 B.2.3: Error, Cannot understand (the data set cannot be parsed).</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>
    /// PS3.7 C.4 (general status 0111H): Duplicate SOP Instance, answered under <see cref="DuplicatePolicy.Reject"/>.
    /// PS3.4 B.2.3 has no status of its own for a duplicate; 0111H names the cause exactly and every SCU treats it as a failure.
    /// </summary>
    public const ushort DuplicateSopInstance = 0x0111;

    /// <summary>PS3.7 C.4: SOP Class not Supported (an unknown SOP class while <see cref="ArchiveStorageOptions.AcceptUnknownSopClasses"/> is off).</summary>
    public const ushort SopClassNotSupported = 0x0122;

    /// <summary>PS3.7 C.4: Processing failure (an unexpected error).</summary>
    public const ushort ProcessingFailure = 0x0110;
}
