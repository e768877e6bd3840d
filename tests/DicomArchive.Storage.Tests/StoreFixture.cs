using System.Collections.Concurrent;
using DicomArchive.Dicom;
using Microsoft.Extensions.Logging;

namespace DicomArchive.Storage.Tests;

/// <summary>A store over a fresh temporary folder, removed afterwards.</summary>
internal sealed class StoreFixture : IAsyncDisposable
{
    private StoreFixture(string root, ArchiveStorageOptions options)
    {
        Root = root;
        Options = options;
    }

    public string Root { get; }

    public ArchiveStorageOptions Options { get; }

    public InstanceStore Store { get; private set; } = null!;

    public CapturingLogger Logger { get; } = new();

    public static async Task<StoreFixture> CreateAsync(Action<ArchiveStorageOptions>? configure = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "dicomarchive-storage-tests", Guid.NewGuid().ToString("N"));
        var options = new ArchiveStorageOptions
        {
            StorageRoot = Path.Combine(root, "storage"),
            IndexPath = Path.Combine(root, "index.sqlite"),
            MinimumFreeDiskBytes = 0,
        };
        configure?.Invoke(options);
        var fixture = new StoreFixture(root, options);
        await fixture.ReopenAsync();
        return fixture;
    }

    public async Task ReopenAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        Store = await InstanceStore.OpenAsync(Options, Logger);
    }

    public static StoreContext Context(string sopUid, string sopClass = TestDataset.CtImageStorage, string syntax = "1.2.840.10008.1.2.1") =>
        new(sopClass, sopUid, syntax, "MODALITY", "DICOMARCHIVE", "127.0.0.1");

    /// <summary>Begins, writes the data set in a few chunks, commits.</summary>
    public async Task<StoreResult> StoreAsync(StoreContext context, byte[] dataset)
    {
        await using var incoming = await Store.BeginStoreAsync(context);
        for (var offset = 0; offset < dataset.Length; offset += 37)
        {
            await incoming.Stream.WriteAsync(dataset.AsMemory(offset, Math.Min(37, dataset.Length - offset)));
        }

        return await incoming.CommitAsync();
    }

    public Task<StoreResult> StoreAsync(string sopUid, TestDataset dataset) => StoreAsync(Context(sopUid), dataset.ToArray());

    /// <summary>Every file under the StorageRoot except the store's own lock file.</summary>
    public string[] FilesUnderRoot() =>
        Directory.Exists(Options.StorageRoot)
            ? Array.FindAll(Directory.GetFiles(Options.StorageRoot, "*", SearchOption.AllDirectories), p => Path.GetFileName(p) != ".lock")
            : [];

    public long Scalar(string sql)
    {
        using var connection = Store.OpenIndexConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Text(string sql)
    {
        using var connection = Store.OpenIndexConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>The detail lines of EXPLAIN QUERY PLAN for a query.</summary>
    public string Plan(string sql)
    {
        using var connection = Store.OpenIndexConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join('\n', lines);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}
