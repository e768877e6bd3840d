using System.Buffers;
using System.Security.Cryptography;

namespace DicomArchive.Storage.Files;

/// <summary>
/// The content hash kept per instance (index column content_hash): BLAKE3-256 of the whole file, written as
/// "blake3:" and 64 lower-case hex digits. BLAKE3 is a cryptographic hash, about twice as fast as SHA-256 on one core
/// even where the CPU has SHA extensions (docs/performance.md), and every stored byte is hashed once at ingest.
/// </summary>
/// <remarks>
/// Indexes written before schema version 4 hold bare SHA-256 hex digits; those rows keep their hash and are checked with
/// SHA-256 (<see cref="ComputeLike(string, Stream)"/>), so verify and storage commitment work on old and new rows alike.
/// </remarks>
internal static class ContentHash
{
    /// <summary>The prefix of a BLAKE3 value; a value without a prefix is a SHA-256 from an older index.</summary>
    public const string Blake3Prefix = "blake3:";

    /// <summary>Bytes read per step when hashing a stored file (BLAKE3 hashes large spans on several SIMD lanes at once).</summary>
    private const int ReadSize = 256 * 1024;

    /// <summary>The algorithm of a stored value, for messages.</summary>
    public static string AlgorithmOf(string stored) =>
        stored.StartsWith(Blake3Prefix, StringComparison.Ordinal) ? "BLAKE3" : "SHA-256";

    /// <summary>The stored form of a finished BLAKE3 digest.</summary>
    public static string FormatBlake3(ReadOnlySpan<byte> digest) => Blake3Prefix + Convert.ToHexStringLower(digest);

    /// <summary>The BLAKE3 value of the stream's bytes from its position to its end.</summary>
    public static string Compute(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var hasher = Blake3.Hasher.New();
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            int read;
            while ((read = stream.ReadAtLeast(buffer.AsSpan(0, ReadSize), ReadSize, throwOnEndOfStream: false)) > 0)
            {
                hasher.Update(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Finish(hasher);
    }

    /// <summary>The BLAKE3 value of the stream's bytes from its position to its end.</summary>
    public static async Task<string> ComputeAsync(Stream stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var hasher = Blake3.Hasher.New();
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            int read;
            while ((read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, ReadSize), ReadSize, throwOnEndOfStream: false, ct)
                .ConfigureAwait(false)) > 0)
            {
                hasher.Update(buffer.AsSpan(0, read));
            }

            return Finish(hasher);
        }
        finally
        {
            hasher.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The hash of the stream with the algorithm of <paramref name="stored"/>, in the same form, to compare with it.</summary>
    public static string ComputeLike(string stored, Stream stream) =>
        stored.StartsWith(Blake3Prefix, StringComparison.Ordinal) ? Compute(stream) : Convert.ToHexStringLower(SHA256.HashData(stream));

    /// <summary>The hash of the stream with the algorithm of <paramref name="stored"/>, in the same form, to compare with it.</summary>
    public static async Task<string> ComputeLikeAsync(string stored, Stream stream, CancellationToken ct) =>
        stored.StartsWith(Blake3Prefix, StringComparison.Ordinal)
            ? await ComputeAsync(stream, ct).ConfigureAwait(false)
            : Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false));

    /// <summary>The stored form of the hasher's digest.</summary>
    public static string Finish(Blake3.Hasher hasher)
    {
        Span<byte> digest = stackalloc byte[32];
        hasher.Finalize(digest);
        return FormatBlake3(digest);
    }
}
