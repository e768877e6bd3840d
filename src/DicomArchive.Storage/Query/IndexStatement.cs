using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DicomArchive.Storage.Query;

/// <summary>
/// One prepared SQLite statement stepped directly through the provider under Microsoft.Data.Sqlite: a row's text
/// columns are read as the UTF-8 bytes SQLite holds (no string per column), which is what a C-FIND response is encoded
/// in. Reading 13 columns through SqliteDataReader cost about 3 us per row, more than the rest of the response.
/// Not thread-safe; dispose before the connection is closed.
/// </summary>
internal sealed class IndexStatement : IDisposable
{
    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;

    /// <exception cref="SqliteException">The statement does not compile or a parameter cannot be bound.</exception>
    public IndexStatement(SqliteConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object>> parameters)
    {
        database = connection.Handle ?? throw new InvalidOperationException("The connection is not open");
        Check(raw.sqlite3_prepare_v2(database, sql, out statement));
        try
        {
            Bind(parameters);
        }
        catch
        {
            statement.Dispose();
            throw;
        }
    }

    private void Bind(IReadOnlyList<KeyValuePair<string, object>> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var index = raw.sqlite3_bind_parameter_index(statement, name);
            if (index == 0)
            {
                continue; // a parameter the SQL no longer names (Microsoft.Data.Sqlite ignores those too)
            }

            Check(value switch
            {
                string text => raw.sqlite3_bind_text(statement, index, text),
                long number => raw.sqlite3_bind_int64(statement, index, number),
                int number => raw.sqlite3_bind_int64(statement, index, number),
                double number => raw.sqlite3_bind_double(statement, index, number),
                _ => raw.sqlite3_bind_text(statement, index, Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
            });
        }
    }

    /// <summary>Steps to the next row; false after the last.</summary>
    /// <exception cref="SqliteException">SQLite failed (the connection's busy timeout applies before SQLITE_BUSY).</exception>
    public bool Read()
    {
        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        Check(rc);
        return false;
    }

    /// <summary>The storage class of a column of the current row (raw.SQLITE_NULL, _INTEGER, _FLOAT, _TEXT, _BLOB).</summary>
    public int ColumnType(int ordinal) => raw.sqlite3_column_type(statement, ordinal);

    /// <summary>The bytes of a column of the current row (UTF-8 for text); valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<byte> ColumnBytes(int ordinal) => raw.sqlite3_column_blob(statement, ordinal);

    public long ColumnInt64(int ordinal) => raw.sqlite3_column_int64(statement, ordinal);

    public double ColumnDouble(int ordinal) => raw.sqlite3_column_double(statement, ordinal);

    public void Dispose() => statement?.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(database).utf8_to_string(), rc);
        }
    }
}
