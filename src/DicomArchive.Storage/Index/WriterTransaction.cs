using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Index;

/// <summary>
/// The index writer's transaction control (BEGIN IMMEDIATE, COMMIT, ROLLBACK and one savepoint) as statements prepared
/// once per connection. <see cref="SqliteConnection.BeginTransaction()"/> and <see cref="SqliteTransaction"/> compile
/// each of them anew on every call: at four storing associations that parsing was about 4% of the server's CPU per
/// small instance (perf). Commands run inside it leave <see cref="SqliteCommand.Transaction"/> null: the connection has
/// no <see cref="SqliteTransaction"/> object, so Microsoft.Data.Sqlite accepts them, and SQLite runs them in the open
/// transaction.
/// </summary>
/// <remarks>Not thread-safe: the index writer is its only user.</remarks>
internal sealed class WriterTransaction : IDisposable
{
    private readonly SqliteCommand begin;
    private readonly SqliteCommand commit;
    private readonly SqliteCommand rollback;
    private readonly SqliteCommand savepoint;
    private readonly SqliteCommand release;
    private readonly SqliteCommand rollbackToSavepoint;

    public WriterTransaction(SqliteConnection connection)
    {
        // IMMEDIATE: take the write lock at BEGIN, so a busy database fails (or waits out busy_timeout) before any work.
        begin = Command(connection, "BEGIN IMMEDIATE");
        commit = Command(connection, "COMMIT");
        rollback = Command(connection, "ROLLBACK");
        savepoint = Command(connection, "SAVEPOINT change");
        release = Command(connection, "RELEASE change");
        rollbackToSavepoint = Command(connection, "ROLLBACK TO change");
    }

    public void Begin() => begin.ExecuteNonQuery();

    public void Commit() => commit.ExecuteNonQuery();

    /// <summary>Rolls the whole transaction back; does nothing when SQLite already ended it (it does after some errors).</summary>
    public void Rollback(SqliteConnection connection)
    {
        if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
        {
            rollback.ExecuteNonQuery();
        }
    }

    public void Savepoint() => savepoint.ExecuteNonQuery();

    public void Release() => release.ExecuteNonQuery();

    /// <summary>Undoes what ran since <see cref="Savepoint"/> and ends the savepoint.</summary>
    public void RollbackToSavepoint()
    {
        rollbackToSavepoint.ExecuteNonQuery();
        release.ExecuteNonQuery();
    }

    public void Dispose()
    {
        begin.Dispose();
        commit.Dispose();
        rollback.Dispose();
        savepoint.Dispose();
        release.Dispose();
        rollbackToSavepoint.Dispose();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
