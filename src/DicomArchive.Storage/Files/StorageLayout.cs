using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DicomArchive.Storage.Files;

/// <summary>
/// Where files live under the StorageRoot: &lt;StudyInstanceUID&gt;/&lt;SeriesInstanceUID&gt;/&lt;SOPInstanceUID&gt;.dcm, and
/// temporary files (*.part) on the same volume so the final move is a rename: in ".tmp" for instances streamed to disk as
/// they arrive, beside the final path for small ones written after their header was checked (see docs/storage-layout.md).
/// </summary>
internal sealed class StorageLayout
{
    /// <summary>The folder for files being received; emptied at start-up.</summary>
    public const string TempFolderName = ".tmp";

    public const string FileExtension = ".dcm";

    public const string TempExtension = ".part";

    // PS3.5 9.1: a UID is at most 64 characters of digits and dots; the rule is checked rather than trusted.
    private const int MaxUidLength = 64;

    private static readonly string TempPrefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + "-";
    private static long tempCounter;

    public StorageLayout(string storageRoot)
    {
        Root = Path.GetFullPath(storageRoot);
        TempFolder = Path.Combine(Root, TempFolderName);
    }

    /// <summary>The StorageRoot as a full path.</summary>
    public string Root { get; }

    /// <summary>The folder for files being received.</summary>
    public string TempFolder { get; }

    /// <summary>A new, unique temporary file path in the temp folder (for instances streamed before their final path is known).</summary>
    public string NewTempPath() => NewTempPathIn(TempFolder);

    /// <summary>
    /// A new, unique temporary file path in <paramref name="folder"/> (beside a final path, so the move is a rename within
    /// one folder). Such a file is left only by a crash; start-up recovery deletes every *.part under the root.
    /// </summary>
    /// <remarks>
    /// Unique without a system call: a random prefix drawn once per process and a counter (Guid.NewGuid reads
    /// /dev/urandom on Linux, and this ran twice per C-STORE). One process owns a StorageRoot at a time (the storage
    /// lock), and the temp file is created with CreateNew, so a clash fails the store rather than sharing a file.
    /// </remarks>
    public static string NewTempPathIn(string folder) =>
        Path.Combine(folder, TempPrefix + Interlocked.Increment(ref tempCounter).ToString("x", CultureInfo.InvariantCulture) + TempExtension);

    /// <summary>The path relative to the StorageRoot, '/'-separated (as stored in the index).</summary>
    public static string RelativePath(string studyUid, string seriesUid, string sopInstanceUid) =>
        SafeName(studyUid) + "/" + SafeName(seriesUid) + "/" + SafeName(sopInstanceUid) + FileExtension;

    /// <summary>The full path for a relative index path.</summary>
    public string FullPath(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The index form ('/'-separated, relative) of a full path under the root.</summary>
    public string ToRelative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>
    /// The UID itself when it is a well-formed UID (digits and single dots, at most 64 characters): such a name is
    /// valid on every file system. Anything else (hostile or broken senders) becomes "x" and 40 hex digits of its SHA-256.
    /// </summary>
    public static string SafeName(string uid) => IsSafeUid(uid) ? uid : "x" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uid)))[..40];

    internal static bool IsSafeUid(string uid)
    {
        if (uid.Length is 0 or > MaxUidLength || uid[0] == '.' || uid[^1] == '.')
        {
            return false;
        }

        var previousDot = false;
        foreach (var c in uid)
        {
            if (c == '.')
            {
                if (previousDot)
                {
                    return false;
                }

                previousDot = true;
            }
            else if (c is >= '0' and <= '9')
            {
                previousDot = false;
            }
            else
            {
                return false;
            }
        }

        return true;
    }
}
