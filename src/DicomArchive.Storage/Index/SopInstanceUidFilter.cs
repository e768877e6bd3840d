namespace DicomArchive.Storage.Index;

/// <summary>
/// A Bloom filter of SOP Instance UIDs: <see cref="MayContain"/> is never false for a UID that was added, and false
/// for about 1% of the others while no more than the capacity were added. The duplicate check asks it first and skips
/// the index query for a UID it has never seen, which is nearly every C-STORE.
/// </summary>
/// <remarks>
/// Thread-safe: bits are only ever set, with an atomic OR, so a concurrent <see cref="Add"/> and
/// <see cref="MayContain"/> see either the old or the new state of each word. At least ten bits per UID (the size is
/// rounded up to a power of two) and seven probes (k = ln 2 · m/n) give a false-positive rate of at most about 0.8%
/// at capacity; past it the rate rises gradually (about 6% at twice the capacity at ten bits), which only costs
/// queries, never a missed duplicate.
/// </remarks>
internal sealed class SopInstanceUidFilter
{
    private const int BitsPerUid = 10;
    private const int Probes = 7;

    private readonly long[] words;
    private readonly ulong bitMask;

    /// <param name="capacity">UIDs it should hold at about 1% false positives.</param>
    public SopInstanceUidFilter(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);

        // A power of two of bits, so a probe is a mask rather than a division; at least 64 (one word).
        var bits = Math.Max(64UL, System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)capacity * BitsPerUid));
        words = new long[bits / 64];
        bitMask = bits - 1;
    }

    /// <summary>Size of the filter in bytes.</summary>
    public long SizeInBytes => words.LongLength * sizeof(long);

    public void Add(string uid)
    {
        var (h1, h2) = Hash(uid);
        for (var i = 0UL; i < Probes; i++)
        {
            var bit = (h1 + (i * h2)) & bitMask;
            Interlocked.Or(ref words[bit >> 6], 1L << (int)(bit & 63));
        }
    }

    /// <summary>False only when <paramref name="uid"/> was certainly never added.</summary>
    public bool MayContain(string uid)
    {
        var (h1, h2) = Hash(uid);
        for (var i = 0UL; i < Probes; i++)
        {
            var bit = (h1 + (i * h2)) & bitMask;
            if ((Volatile.Read(ref words[bit >> 6]) & (1L << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Two 64-bit hashes for double hashing (probe i = h1 + i·h2): FNV-1a over the UTF-16 code units, each half then
    /// mixed by the SplitMix64 finaliser so every bit depends on every character (UIDs share long prefixes). h2 is odd,
    /// so the probes of one UID never coincide.
    /// </summary>
    private static (ulong H1, ulong H2) Hash(string uid)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in uid)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (Mix(hash), Mix(hash ^ 0x9E3779B97F4A7C15UL) | 1);
    }

    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
