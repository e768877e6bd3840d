using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Index;

/// <summary>Opens connections to the SQLite index with the pragmas every connection needs.</summary>
internal sealed class IndexDatabase
{
    private readonly string connectionString;
    private readonly bool durable;

    public IndexDatabase(string path, FsyncPolicy fsyncPolicy)
    {
        Path = System.IO.Path.GetFullPath(path);
        durable = fsyncPolicy == FsyncPolicy.Always;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Creates the file when missing, switches it to WAL and migrates the schema; returns the version found.</summary>
    public int Initialize()
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var connection = Open();
        // WAL: readers never block the writer nor the writer them; the mode is stored in the file.
        Execute(connection, "PRAGMA journal_mode = WAL;");
        return SchemaMigrations.Migrate(connection);
    }

    /// <summary>
    /// An open connection for writing: synchronous=FULL when durable (each commit is fsynced), NORMAL otherwise; the
    /// automatic checkpoint only as a backstop, since <see cref="WalCheckpointer"/> checkpoints in the background
    /// (a commit runs the automatic checkpoint, so the threshold matters to writers only).
    /// </summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, (durable ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;") +
            " PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA wal_autocheckpoint = " + WalCheckpointer.BackstopFrames + ";");
        return connection;
    }

    /// <summary>
    /// An open connection for reading only (queries): none of the pragmas of <see cref="Open"/> matter to a SELECT, and
    /// running them cost three statement compilations per C-FIND; the busy timeout is set through the C API.
    /// </summary>
    public SqliteConnection OpenForRead()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, 30000);
        return connection;
    }

    /// <summary>Closes pooled connections so the file can be deleted or moved (tests, reindex).</summary>
    public static void ClearPools() => SqliteConnection.ClearAllPools();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
