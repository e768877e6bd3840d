namespace DicomArchive.Storage.Query.Matching;

/// <summary>
/// DICOM wildcard matching (PS3.4 C.2.2.2.4): '*' any sequence of characters (including none), '?' exactly one.
/// Translated to SQLite GLOB, which is case-sensitive and, unlike LIKE, has no ASCII-only case folding: DICOM values
/// compare exactly unless the caller normalises both sides (person names). GLOB has no escape character; its own
/// special character '[' is written as the class "[[]". '%' and '_' mean nothing to GLOB.
/// </summary>
internal static class Wildcard
{
    /// <summary>The highest character, appended to a prefix to form the exclusive upper bound of an index range.</summary>
    public const string MaxChar = "\U0010FFFF";

    public static bool HasWildcard(string value) => value.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>'*' alone, or several, is universal matching (PS3.4 C.2.2.2.4: "*" alone is the same as an empty value).</summary>
    public static bool IsUniversal(string value)
    {
        foreach (var c in value)
        {
            if (c != '*')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A GLOB pattern matching exactly what the DICOM value matches.</summary>
    public static string ToGlob(string value) => value.Replace("[", "[[]", StringComparison.Ordinal);

    /// <summary>The literal text before the first wildcard.</summary>
    public static string LiteralPrefix(string value)
    {
        var index = value.AsSpan().IndexOfAny('*', '?');
        return index < 0 ? value : value[..index];
    }

    /// <summary>In-memory match of a whole value against a DICOM wildcard pattern (iterative, linear in practice).</summary>
    public static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value)
    {
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == value[v]))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
