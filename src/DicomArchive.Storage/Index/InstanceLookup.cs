using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Index;

/// <summary>
/// The duplicate check of every C-STORE: is this SOP Instance UID indexed, and under which file? Keeps a few open read
/// connections, each with its statement prepared once, instead of opening a pooled connection (and re-running its
/// pragmas) and parsing the SQL for every instance. Reads run concurrently with the writer (WAL).
/// </summary>
internal sealed class InstanceLookup(IndexDatabase database) : IDisposable
{
    /// <summary>More idle connections than this are closed after use (a burst of associations does not keep them all).</summary>
    private const int MaxIdle = 8;

    private readonly ConcurrentBag<Lookup> idle = [];
    private bool disposed;

    /// <summary>The indexed file path (relative to the StorageRoot) of the instance, or null when it is not indexed.</summary>
    public string? FindFilePath(string sopInstanceUid)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!idle.TryTake(out var lookup))
        {
            lookup = new Lookup(database.Open());
        }

        string? path;
        try
        {
            path = lookup.Find(sopInstanceUid);
        }
        catch
        {
            lookup.Dispose();
            throw;
        }

        if (Volatile.Read(ref disposed) || idle.Count >= MaxIdle)
        {
            lookup.Dispose();
        }
        else
        {
            idle.Add(lookup);
        }

        return path;
    }

    public void Dispose()
    {
        Volatile.Write(ref disposed, true);
        while (idle.TryTake(out var lookup))
        {
            lookup.Dispose();
        }
    }

    private sealed class Lookup : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly SqliteCommand command;
        private readonly SqliteParameter uid;

        public Lookup(SqliteConnection connection)
        {
            this.connection = connection;
            command = connection.CreateCommand();
            command.CommandText = "SELECT file_path FROM instances WHERE sop_instance_uid = @uid";
            uid = command.Parameters.Add("@uid", SqliteType.Text);
        }

        public string? Find(string sopInstanceUid)
        {
            uid.Value = sopInstanceUid;
            using var reader = command.ExecuteReader();
            return reader.Read() ? reader.GetString(0) : null;
        }

        public void Dispose()
        {
            command.Dispose();
            connection.Dispose();
        }
    }
}
