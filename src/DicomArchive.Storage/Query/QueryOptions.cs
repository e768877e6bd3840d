namespace DicomArchive.Storage.Query;

/// <summary>How the query engine answers (documented in docs/query.md).</summary>
public sealed class QueryOptions
{
    /// <summary>Retrieve AE Title (0008,0054) put in every response: the AE that C-MOVE/C-GET requests go to (ours).</summary>
    public string RetrieveAeTitle { get; init; } = "DICOMARCHIVE";

    /// <summary>
    /// Relational queries were negotiated (PS3.4 C.4.1.2.2.2 / extended negotiation). Informational: the engine always
    /// matches every key of the query level and the levels above, so a hierarchical query gets the same answer and a
    /// query that leaves out the unique keys of the upper levels (IMAGE with only SOPInstanceUID) is answered, not refused.
    /// </summary>
    public bool RelationalQueries { get; init; }

    /// <summary>Person names match case-insensitively (accents kept: É is not E). Default true; PS3.4 C.2.2.2.1 leaves it to the SCP.</summary>
    public bool CaseInsensitivePersonNames { get; init; } = true;

    /// <summary>
    /// The most responses one C-FIND returns; 0 = no limit. When more entities match, the first <see cref="MaxResults"/>
    /// are returned and then <see cref="QueryException"/> with status 0xA700 (Out of Resources) and a comment asking to narrow
    /// the query. Default 10,000.
    /// </summary>
    public int MaxResults { get; init; } = 10_000;

    /// <summary>Specific Character Set assumed for an identifier without one (matching the store's DefaultCharacterSet). Default ISO_IR 100.</summary>
    public string DefaultCharacterSet { get; init; } = "ISO_IR 100";
}
