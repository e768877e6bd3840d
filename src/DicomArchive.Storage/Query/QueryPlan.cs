using DicomArchive.Dicom;

namespace DicomArchive.Storage.Query;

/// <summary>An identifier compiled: the SQL, its parameters, and how each row becomes a response.</summary>
internal sealed class QueryPlan
{
    public required QueryLevel Level { get; init; }

    public required string Sql { get; init; }

    public required IReadOnlyList<KeyValuePair<string, object>> Parameters { get; init; }

    /// <summary>Index keys returned, with the ordinal of their column.</summary>
    public required IReadOnlyList<(QueryKey Key, int Ordinal)> IndexColumns { get; init; }

    /// <summary>Requested keys the index does not hold: taken from the stored file.</summary>
    public required IReadOnlyList<DicomElement> FileKeys { get; init; }

    /// <summary>Keys the index does not hold that have a value to match: matched against the stored file.</summary>
    public required IReadOnlyList<DicomElement> FileMatchKeys { get; init; }

    /// <summary>Requested keys of levels below the query level: returned empty (PS3.4 C.4.1.2.1).</summary>
    public required IReadOnlyList<DicomElement> EmptyKeys { get; init; }

    /// <summary>Ordinal of the relative path of one instance of the entity, or -1 when no file is read.</summary>
    public required int FilePathOrdinal { get; init; }

    /// <summary>Whether the identifier held a Specific Character Set (0008,0005): it is then returned.</summary>
    public required bool CharacterSetRequested { get; init; }
}
