using System.Security.Cryptography;
using DicomArchive.Storage.Files;
using DicomArchive.Storage.Index;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Tests;

/// <summary>
/// The per-instance content hash: BLAKE3 for what is stored now, SHA-256 still checked for rows indexed before schema 4.
/// </summary>
public sealed class ContentHashTests
{
    // The BLAKE3 team's published test vectors (input byte i is i % 251); 1025 bytes spans two 1024-byte chunks.
    [TestCase(0, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262")]
    [TestCase(1025, "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444")]
    public async Task Compute_ReferenceInput_GivesThePublishedBlake3Digest(int length, string digest)
    {
        var input = new byte[length];
        for (var i = 0; i < length; i++)
        {
            input[i] = (byte)(i % 251);
        }

        ContentHash.Compute(new MemoryStream(input)).Should().Be("blake3:" + digest);
        (await ContentHash.ComputeAsync(new MemoryStream(input), CancellationToken.None)).Should().Be("blake3:" + digest);
    }

    [TestCase(100)]
    [TestCase(600_000)]
    public async Task CommitAsync_InMemoryOrSpreadOverSeveralBuffers_IndexesBlake3OfTheWholeFile(int pixelBytes)
    {
        await using var f = await StoreFixture.CreateAsync();

        // 37-byte writes: buffer boundaries fall inside writes, and 600 KB fills the 256 KiB receive buffer twice.
        var result = await f.StoreAsync("1.2.11.1", TestDataset.Instance("1.2.11.1", pixelBytes: pixelBytes));

        var bytes = await File.ReadAllBytesAsync(Path.Combine(f.Options.StorageRoot, result.RelativePath!));
        f.Text("SELECT content_hash FROM instances").Should().Be("blake3:" + Convert.ToHexStringLower(Blake3.Hasher.Hash(bytes).AsSpan()));
        (await f.Store.VerifyAsync()).IsHealthy.Should().BeTrue();
    }

    [Test]
    public async Task VerifyAsync_RowWithSha256FromBeforeSchema4_CheckedWithSha256()
    {
        await using var f = await StoreFixture.CreateAsync();
        var stored = await f.StoreAsync("1.2.11.2", TestDataset.Instance("1.2.11.2"));
        var path = Path.Combine(f.Options.StorageRoot, stored.RelativePath!);
        var bytes = await File.ReadAllBytesAsync(path);
        Execute(f, $"UPDATE instances SET content_hash = '{Convert.ToHexStringLower(SHA256.HashData(bytes))}'");

        (await f.Store.VerifyAsync()).IsHealthy.Should().BeTrue();
        (await f.Store.VerifyCommitmentAsync([new(TestDataset.CtImageStorage, "1.2.11.2")])).Should().ContainSingle().Which.IsCommitted.Should().BeTrue();

        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var report = await f.Store.VerifyAsync();
        report.Problems.Should().ContainSingle().Which.Detail.Should().StartWith("SHA-256 " + Convert.ToHexStringLower(SHA256.HashData(bytes)));
        (await f.Store.VerifyCommitmentAsync([new(TestDataset.CtImageStorage, "1.2.11.2")])).Should().ContainSingle().Which.IsCommitted.Should().BeFalse();
    }

    [Test]
    public void Migrate_FromVersion3_RenamesTheHashColumn()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SchemaMigrations.Migrate(connection, targetVersion: 3);
        Columns(connection).Should().Contain("sha256");

        SchemaMigrations.Migrate(connection);

        Columns(connection).Should().Contain("content_hash").And.NotContain("sha256");
    }

    private static List<string> Columns(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('instances')";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static void Execute(StoreFixture f, string sql)
    {
        using var connection = f.Store.OpenIndexConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
