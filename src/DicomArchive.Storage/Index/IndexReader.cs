using Dapper;

namespace DicomArchive.Storage.Index;

/// <summary>Read-only queries; each opens its own pooled connection, so reads run concurrently with the writer (WAL).</summary>
internal sealed class IndexReader(IndexDatabase database)
{
    private const string InstanceColumns =
        """
        SELECT st.study_instance_uid AS StudyInstanceUid, se.series_instance_uid AS SeriesInstanceUid,
               i.sop_instance_uid AS SopInstanceUid, i.sop_class_uid AS SopClassUid, i.transfer_syntax_uid AS TransferSyntaxUid,
               i.file_path AS RelativePath, i.file_size AS FileSize, i.content_hash AS ContentHash
        FROM instances i JOIN series se ON se.pk = i.series_fk JOIN studies st ON st.pk = se.study_fk
        """;

    public async Task<StoredInstance?> FindInstanceAsync(string sopInstanceUid, CancellationToken ct)
    {
        using var connection = database.Open();
        return await connection.QuerySingleOrDefaultAsync<StoredInstance>(
            new CommandDefinition(InstanceColumns + " WHERE i.sop_instance_uid = @sopInstanceUid", new { sopInstanceUid }, cancellationToken: ct))
            .ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredInstance>> GetInstancesAsync(string studyUid, string? seriesUid, string? sopUid, CancellationToken ct)
    {
        var sql = InstanceColumns + " WHERE st.study_instance_uid = @studyUid";
        if (seriesUid is not null)
        {
            sql += " AND se.series_instance_uid = @seriesUid";
        }

        if (sopUid is not null)
        {
            sql += " AND i.sop_instance_uid = @sopUid";
        }

        sql += " ORDER BY se.series_number, se.series_instance_uid, i.instance_number, i.sop_instance_uid";
        using var connection = database.Open();
        var rows = await connection.QueryAsync<StoredInstance>(
            new CommandDefinition(sql, new { studyUid, seriesUid, sopUid }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>Which of these relative paths have an index row.</summary>
    public HashSet<string> IndexedPaths(IReadOnlyCollection<string> relativePaths)
    {
        using var connection = database.Open();
        var found = connection.Query<string>("SELECT file_path FROM instances WHERE file_path IN @relativePaths", new { relativePaths });
        return new HashSet<string>(found, StringComparer.Ordinal);
    }

    /// <summary>Every instance row, streamed in primary-key order (verify).</summary>
    public IEnumerable<StoredInstance> AllInstances()
    {
        using var connection = database.Open();
        foreach (var row in connection.Query<StoredInstance>(InstanceColumns + " ORDER BY i.pk", buffered: false))
        {
            yield return row;
        }
    }
}
