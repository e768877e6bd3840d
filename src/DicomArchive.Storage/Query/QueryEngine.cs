using System.Buffers;
using System.Runtime.CompilerServices;
using DicomArchive.Dicom;
using DicomArchive.Storage.Files;
using DicomArchive.Storage.Query.Matching;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Query;

/// <summary>
/// The C-FIND query engine (PS3.4 C.4.1) and the C-MOVE/C-GET instance resolver (PS3.4 C.4.2, C.4.3) over the SQLite
/// index. An identifier becomes one parameterised SQL statement over indexed columns; rows are turned into response
/// identifiers as they are read. Keys the index does not hold are taken from (and matched against) the header of one
/// stored instance of each matching entity, read only when such keys are in the identifier. Thread-safe.
/// See docs/query.md for the matching rules and limits.
/// </summary>
public sealed class QueryEngine
{
    private static readonly DicomReaderOptions HeaderOptions = new() { StopBeforeTag = DicomTag.PixelData, BulkDataThreshold = 64 * 1024 };

    private readonly Func<SqliteConnection> openConnection;
    private readonly StorageLayout layout;
    private readonly QueryOptions options;
    private readonly DicomCharacterSet defaultCharacterSet;
    private readonly ResponseBuilder responses;

    /// <summary>A query engine over a store's index and files.</summary>
    public QueryEngine(InstanceStore store, QueryOptions options)
        : this(ArgumentNullExceptionOr(store).OpenIndexReadConnection, store.StorageRoot, options)
    {
    }

    /// <summary>A query engine over an index opened by <paramref name="openConnection"/> (read only) and files under <paramref name="storageRoot"/>.</summary>
    public QueryEngine(Func<SqliteConnection> openConnection, string storageRoot, QueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(openConnection);
        ArgumentNullException.ThrowIfNull(storageRoot);
        ArgumentNullException.ThrowIfNull(options);
        this.openConnection = openConnection;
        this.options = options;
        layout = new StorageLayout(storageRoot);
        defaultCharacterSet = string.IsNullOrWhiteSpace(options.DefaultCharacterSet)
            ? DicomCharacterSet.Default
            : DicomCharacterSet.FromTerms(options.DefaultCharacterSet.Split('\\'));
        responses = new ResponseBuilder(options.RetrieveAeTitle);
    }

    /// <summary>
    /// The C-FIND responses for an identifier, streamed as index rows are read (each is one Pending response). Stops at
    /// <paramref name="ct"/> (C-CANCEL) between two responses.
    /// </summary>
    /// <exception cref="QueryException">
    /// Thrown on the first MoveNextAsync for a bad identifier (0xA900 / 0xC000, naming the key), or after
    /// <see cref="QueryOptions.MaxResults"/> responses when more entities match (0xA700).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async IAsyncEnumerable<DicomDataset> FindAsync(
        QueryModel model, DicomDataset identifier, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        ApplyDefaultCharacterSet(identifier);
        var plan = QueryPlanner.Build(model, identifier, options, forRetrieve: false);
        ct.ThrowIfCancellationRequested();

        using var connection = openConnection();
        using var command = CreateCommand(connection, plan.Sql, plan.Parameters);
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var count = 0;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            ct.ThrowIfCancellationRequested();
            DicomDataset? file = null;
            if (plan.FilePathOrdinal >= 0 && !reader.IsDBNull(plan.FilePathOrdinal))
            {
                file = await ReadHeaderAsync(reader.GetString(plan.FilePathOrdinal), ct).ConfigureAwait(false);
            }

            if (plan.FileMatchKeys.Count > 0 && !MatchesFile(identifier, plan, file))
            {
                continue;
            }

            if (options.MaxResults > 0 && count == options.MaxResults)
            {
                throw new QueryException(
                    QueryException.OutOfResources, $"More than {options.MaxResults} matches; narrow the query");
            }

            count++;
            yield return responses.Build(plan, reader, file);
        }
    }

    /// <summary>
    /// The C-FIND responses for an identifier, encoded in <paramref name="syntax"/> (the presentation context's), as
    /// <see cref="FindAsync"/> returns them: the same bytes, but when every requested key comes from the index they are
    /// written straight from the index row, without a data set per response.
    /// </summary>
    /// <exception cref="QueryException">See <see cref="FindAsync"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> FindEncodedAsync(
        QueryModel model, DicomDataset identifier, TransferSyntax syntax, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(syntax);
        ApplyDefaultCharacterSet(identifier);
        var plan = QueryPlanner.Build(model, identifier, options, forRetrieve: false);
        ct.ThrowIfCancellationRequested();
        var encoder = ResponseEncoder.TryCreate(plan, options.RetrieveAeTitle, syntax);
        if (encoder is null)
        {
            await foreach (var response in FindAsync(model, identifier, ct).ConfigureAwait(false))
            {
                var buffer = new ArrayBufferWriter<byte>(1024);
                DicomDatasetWriter.Write(buffer, response, syntax);
                yield return buffer.WrittenMemory;
            }

            yield break;
        }

        using var connection = openConnection();
        using var statement = new IndexStatement(connection, plan.Sql, plan.Parameters);
        var count = 0;
        while (statement.Read())
        {
            ct.ThrowIfCancellationRequested();
            if (options.MaxResults > 0 && count == options.MaxResults)
            {
                throw new QueryException(
                    QueryException.OutOfResources, $"More than {options.MaxResults} matches; narrow the query");
            }

            count++;
            yield return encoder.Encode(statement);
        }
    }

    /// <summary>
    /// The stored instances a C-MOVE or C-GET identifier names (PS3.4 C.4.2.2.1), with the C-FIND matching rules on the
    /// keys the index holds; ordered by study, series number, instance number. The unique key of the level is required.
    /// </summary>
    /// <exception cref="QueryException">A bad identifier (0xA900 / 0xC000, naming the key).</exception>
    public async Task<IReadOnlyList<StoredInstance>> ResolveInstancesAsync(QueryModel model, DicomDataset identifier, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        ApplyDefaultCharacterSet(identifier);
        var plan = QueryPlanner.Build(model, identifier, options, forRetrieve: true);
        using var connection = openConnection();
        using var command = CreateCommand(connection, plan.Sql, plan.Parameters);
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var result = new List<StoredInstance>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var relativePath = reader.GetString(3);
            result.Add(new StoredInstance
            {
                SopInstanceUid = reader.GetString(0),
                SopClassUid = reader.GetString(1),
                TransferSyntaxUid = reader.GetString(2),
                RelativePath = relativePath,
                FullPath = layout.FullPath(relativePath),
                FileSize = reader.GetInt64(4),
                ContentHash = reader.GetString(5),
                StudyInstanceUid = reader.GetString(6),
                SeriesInstanceUid = reader.GetString(7),
            });
        }

        return result;
    }

    /// <summary>The SQL and parameters an identifier compiles to (tests check the plan SQLite makes of it).</summary>
    internal (string Sql, IReadOnlyList<KeyValuePair<string, object>> Parameters) Compile(QueryModel model, DicomDataset identifier)
    {
        ApplyDefaultCharacterSet(identifier);
        var plan = QueryPlanner.Build(model, identifier, options, forRetrieve: false);
        return (plan.Sql, plan.Parameters);
    }

    internal static SqliteCommand CreateCommand(SqliteConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object>> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static InstanceStore ArgumentNullExceptionOr(InstanceStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store;
    }

    private bool MatchesFile(DicomDataset identifier, QueryPlan plan, DicomDataset? file)
    {
        if (file is null)
        {
            return false;
        }

        foreach (var element in plan.FileMatchKeys)
        {
            if (!AttributeMatcher.Matches(identifier, element, file, options.CaseInsensitivePersonNames))
            {
                return false;
            }
        }

        return true;
    }

    private void ApplyDefaultCharacterSet(DicomDataset identifier)
    {
        // Like ingest: an identifier without Specific Character Set is read with the configured default (Latin-1).
        if (!identifier.Contains(DicomTag.SpecificCharacterSet))
        {
            identifier.FallbackCharacterSet = defaultCharacterSet;
        }
    }

    /// <summary>The header of a stored file up to Pixel Data, or null when it is missing or unreadable (keys stay empty).</summary>
    private async Task<DicomDataset?> ReadHeaderAsync(string relativePath, CancellationToken ct)
    {
        try
        {
            var file = await DicomFileReader.OpenAsync(layout.FullPath(relativePath), HeaderOptions, ct).ConfigureAwait(false);
            file.Dataset.FallbackCharacterSet = defaultCharacterSet;
            return file.Dataset;
        }
        catch (Exception ex) when (ex is DicomContentException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
