using DicomArchive.Storage.Files;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage;

/// <summary>
/// Counts per level, bytes stored and free disk: what the `stats` verb prints. Read from the index in read-only mode,
/// so it works while the service runs (SQLite WAL lets readers beside the writer).
/// </summary>
public sealed record StorageStatistics(long Patients, long Studies, long Series, long Instances, long BytesStored, long? FreeDiskBytes)
{
    /// <exception cref="FileNotFoundException">There is no index at the configured path yet.</exception>
    public static async Task<StorageStatistics> ReadAsync(ArchiveStorageOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var indexPath = Path.GetFullPath(options.IndexPath);
        if (!File.Exists(indexPath))
        {
            throw new FileNotFoundException($"There is no index at {indexPath} (nothing stored yet, or Archive:IndexPath points elsewhere)", indexPath);
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = indexPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = """
                    SELECT (SELECT COUNT(*) FROM patients), (SELECT COUNT(*) FROM studies), (SELECT COUNT(*) FROM series),
                           (SELECT COUNT(*) FROM instances), (SELECT COALESCE(SUM(file_size), 0) FROM instances);
                    """;
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(ct).ConfigureAwait(false);
                    var root = Path.GetFullPath(options.StorageRoot);
                    return new StorageStatistics(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                        Directory.Exists(root) ? DiskSpace.AvailableBytes(root) : null);
                }
            }
        }
    }
}
