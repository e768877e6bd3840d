using DicomArchive.Dicom;

namespace DicomArchive.Storage.Query;

/// <summary>
/// A C-FIND / C-MOVE / C-GET identifier that cannot be answered: the DIMSE status to send, the Error Comment (0000,0902)
/// and the Offending Element (0000,0901) when one key is at fault (PS3.4 C.4.1.1.4, C.4.2.1.5).
/// </summary>
public sealed class QueryException : Exception
{
    /// <summary>Identifier Does Not Match SOP Class (PS3.4 C.4.1.1.4).</summary>
    public const ushort IdentifierDoesNotMatchSopClass = 0xA900;

    /// <summary>Unable to process (PS3.4 C.4.1.1.4, Cxxx).</summary>
    public const ushort UnableToProcess = 0xC000;

    /// <summary>Refused: Out of Resources (PS3.4 C.4.1.1.4): the result limit was reached.</summary>
    public const ushort OutOfResources = 0xA700;

    public QueryException(ushort status, string errorComment, DicomTag? offendingElement = null)
        : base(errorComment)
    {
        Status = status;
        ErrorComment = errorComment;
        OffendingElement = offendingElement;
    }

    public QueryException()
        : this(UnableToProcess, "Unable to process")
    {
    }

    public QueryException(string message)
        : this(UnableToProcess, message)
    {
    }

    public QueryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = UnableToProcess;
        ErrorComment = message;
    }

    /// <summary>The DIMSE status of the final response.</summary>
    public ushort Status { get; }

    /// <summary>Error Comment (0000,0902), at most 64 characters is what the LO VR allows; the network layer truncates.</summary>
    public string ErrorComment { get; }

    /// <summary>The key at fault, for Offending Element (0000,0901).</summary>
    public DicomTag? OffendingElement { get; }

    internal static QueryException BadKey(DicomTag tag, string keyword, string problem) =>
        new(UnableToProcess, $"{keyword} {tag}: {problem}", tag);
}
