using DicomArchive.Service.Tests.Support;
using DicomArchive.Service.Verbs;
using DicomArchive.Storage;

namespace DicomArchive.Service.Tests.Verbs;

public sealed class MaintenanceVerbTests
{
    private string root = null!;

    [SetUp]
    public void SetUp() => root = TestInstances.NewTempFolder("verbs");

    [TearDown]
    public void TearDown()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    private string[] Config(params string[] verbArgs) =>
    [
        .. verbArgs,
        $"--Archive:StorageRoot={Path.Combine(root, "storage")}",
        $"--Archive:IndexPath={Path.Combine(root, "index.sqlite")}",
        "--Archive:MinimumFreeDiskBytes=0",
    ];

    [Test]
    public async Task Import_FolderWithDicomAndOtherFiles_ImportsDicomRejectsOthersAndVerifyIsClean()
    {
        var source = Path.Combine(root, "in");
        await TestInstances.WriteStudyAsync(Path.Combine(source, "a", "b"), 5);
        await File.WriteAllTextAsync(Path.Combine(source, "README.txt"), "not dicom");

        var (code, stdout, _) = await RunAsync(Config("import", source));

        code.Should().Be(ImportVerb.SomeRejected, "README.txt is not DICOM");
        stdout.Should().Contain("imported 5, duplicates 0, rejected 1").And.Contain("README.txt");
        Directory.GetFiles(Path.Combine(root, "storage"), "*.dcm", SearchOption.AllDirectories).Should().HaveCount(5);

        (code, stdout, _) = await RunAsync(Config("verify"));
        code.Should().Be(0);
        stdout.Should().Contain("checked 5 instances and 5 files: no problems");

        (code, stdout, _) = await RunAsync(Config("import", source));
        stdout.Should().Contain("imported 0, duplicates 5, rejected 1");
    }

    [Test]
    public async Task Verify_CorruptedAndMissingFiles_ListsEachFileAndExitsOne()
    {
        var source = Path.Combine(root, "in");
        await TestInstances.WriteStudyAsync(source, 3);
        (await RunAsync(Config("import", source))).Code.Should().Be(0);
        var stored = Directory.GetFiles(Path.Combine(root, "storage"), "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        await using (var stream = new FileStream(stored[0], FileMode.Open, FileAccess.Write))
        {
            stream.Seek(-10, SeekOrigin.End);
            stream.WriteByte(0x5A);
        }

        File.Delete(stored[1]);

        var (code, stdout, _) = await RunAsync(Config("verify"));

        code.Should().Be(1);
        stdout.Should().Contain(stored[0]).And.Contain(Path.GetFileName(stored[1])).And.Contain("2 problems");
    }

    [Test]
    public async Task Reindex_AfterIndexDeleted_RebuildsEveryInstance()
    {
        var source = Path.Combine(root, "in");
        await TestInstances.WriteStudyAsync(source, 4);
        (await RunAsync(Config("import", source))).Code.Should().Be(0);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(root, "index.sqlite*"))
        {
            File.Delete(file);
        }

        var (code, stdout, _) = await RunAsync(Config("reindex"));

        code.Should().Be(0);
        stdout.Should().Contain("reindexed 4 instances from 4 files");
        (await RunAsync(Config("verify"))).Code.Should().Be(0);
    }

    [Test]
    public async Task Verify_WhileAnotherProcessOwnsTheStore_OneLineAndExitTwo()
    {
        await using var owner = await InstanceStore.OpenAsync(new ArchiveStorageOptions
        {
            StorageRoot = Path.Combine(root, "storage"),
            IndexPath = Path.Combine(root, "index.sqlite"),
            MinimumFreeDiskBytes = 0,
        });

        var (code, _, stderr) = await RunAsync(Config("verify"));

        code.Should().Be(StorageVerb.SetupFailed);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("in use by another DicomArchive process");
    }

    [Test]
    public async Task Import_WrongConfiguration_NamesTheKeyAndExitsTwo()
    {
        var (code, _, stderr) = await RunAsync(["import", root, "--Archive:Port=70000", "--Archive:DuplicatePolicy=Sometimes"]);
        stderr.Should().Contain("Archive:DuplicatePolicy: 'Sometimes' is not one of KeepFirst, Overwrite, Reject");

        code.Should().Be(StorageVerb.SetupFailed);
        stderr.Should().Contain("Archive:Port: 70000 is not a TCP port (1-65535)");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DicomArchiveCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
