using DicomArchive.Service.Tests.Parity;

namespace DicomArchive.Service.Tests.Installer;

/// <summary>
/// One `dotnet publish` of src/DicomArchive.Service (Release) per test run, shared by the installer and
/// published-executable tests. It builds with its own artifacts folder, so it never races the Debug build
/// of the test run in the source tree's bin/ and obj/.
/// </summary>
internal static class PublishedBuild
{
    private static readonly string Work = Path.Combine(Path.GetTempPath(), "dicomarchive-publish-" + Guid.NewGuid().ToString("N")[..8]);
    private static readonly Lazy<string> Folder = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The repository root: the folder holding DicomArchive.sln above the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The published output (the apphost `dicom-archive` and its assemblies); publishes on first use.</summary>
    public static string Directory => Folder.Value;

    public static string Executable => Path.Combine(Directory, OperatingSystem.IsWindows() ? "dicom-archive.exe" : "dicom-archive");

    private static string Publish()
    {
        var output = Path.Combine(Work, "publish");
        var result = ProcessRunner.Run(
            "dotnet",
            ["publish", Path.Combine(RepositoryRoot, "src", "DicomArchive.Service"), "-c", "Release", "-o", output,
             "--artifacts-path", Path.Combine(Work, "artifacts"), "--nologo"],
            stdin: null,
            TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({result.ExitCode}):\n{result.Output}\n{result.Error}");
        }

        return output;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DicomArchive.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no DicomArchive.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Deletes the published build (called once, after every test of this namespace).</summary>
    public static void Delete()
    {
        if (!System.IO.Directory.Exists(Work))
        {
            return;
        }

        try
        {
            System.IO.Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
