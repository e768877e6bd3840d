namespace DicomArchive.Dicom.Network.Server;

/// <summary>The DIMSE services a caller may be permitted to use (PS3.4 service classes, by the abstract syntaxes they negotiate).</summary>
[Flags]
public enum DicomServices
{
    None = 0,

    /// <summary>Verification (PS3.4 Annex A): C-ECHO.</summary>
    Echo = 1,

    /// <summary>Storage (PS3.4 Annex B): C-STORE to us.</summary>
    Store = 2,

    /// <summary>Query/Retrieve FIND (PS3.4 C.4.1).</summary>
    Find = 4,

    /// <summary>Query/Retrieve MOVE (PS3.4 C.4.2).</summary>
    Move = 8,

    /// <summary>Query/Retrieve GET (PS3.4 C.4.3), with the storage contexts its C-STORE sub-operations need.</summary>
    Get = 16,

    /// <summary>Every service, including ones not classified above (the default).</summary>
    All = -1,
}
