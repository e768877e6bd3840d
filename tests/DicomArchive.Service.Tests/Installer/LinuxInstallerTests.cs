using DicomArchive.Service.Tests.Parity;
using DicomArchive.Service.Tests.Support;

namespace DicomArchive.Service.Tests.Installer;

/// <summary>
/// installer/linux/install.sh and uninstall.sh run against a published build into a temporary root
/// (--prefix: no system user, no chown, no systemctl), as CI tests an installation.
/// </summary>
[Category("Interop")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LinuxInstallerTests
{
    private const UnixFileMode OwnerAllGroupRead = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private string prefix = null!;

    private static string ScriptFolder => Path.Combine(PublishedBuild.RepositoryRoot, "installer", "linux");

    private string InstallDir => Path.Combine(prefix, "opt", "dicom-archive");

    private string ConfigFile => Path.Combine(prefix, "etc", "dicom-archive", "appsettings.json");

    private string DataDir => Path.Combine(prefix, "var", "lib", "dicom-archive");

    private string LogDir => Path.Combine(prefix, "var", "log", "dicom-archive");

    private string UnitFile => Path.Combine(prefix, "etc", "systemd", "system", "dicom-archive.service");

    [OneTimeSetUp]
    public void PublishOnce()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("the Linux installer is tested on Linux");
        }

        InteropEnvironment.Require(ToolRuns("bash", "--version"), "bash is not installed");
        _ = PublishedBuild.Directory;
    }

    [SetUp]
    public void SetUp() => prefix = TestInstances.NewTempFolder("install-root");

    [TearDown]
    public void TearDown() => Directory.Delete(prefix, recursive: true);

    [Test]
    public void Install_IntoPrefix_LaysOutBuildConfigDataLogsAndUnit()
    {
        var result = Install();

        result.ExitCode.Should().Be(0, result.Error);
        File.Exists(Path.Combine(InstallDir, "dicom-archive")).Should().BeTrue();
        File.GetUnixFileMode(Path.Combine(InstallDir, "dicom-archive")).Should().HaveFlag(UnixFileMode.OtherExecute);
        File.Exists(Path.Combine(InstallDir, "dicom-archive.dll")).Should().BeTrue();
        new FileInfo(Path.Combine(InstallDir, "appsettings.json")).LinkTarget.Should().Be("/etc/dicom-archive/appsettings.json",
            "verbs run by hand from /opt read the installed configuration");

        File.GetUnixFileMode(DataDir).Should().Be(OwnerAllGroupRead, "the index and files are readable by the service account only");
        File.GetUnixFileMode(LogDir).Should().Be(OwnerAllGroupRead);
        File.GetUnixFileMode(ConfigFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var config = File.ReadAllText(ConfigFile);
        config.Should().Contain("\"StorageRoot\": \"/var/lib/dicom-archive/storage\"")
            .And.Contain("\"IndexPath\": \"/var/lib/dicom-archive/index.sqlite\"")
            .And.Contain("\"path\": \"/var/log/dicom-archive/dicom-archive-.log\"")
            .And.Contain("// DIMSE listening port.", "the installed file keeps the documentation of every key");
        File.Exists(ConfigFile + ".dist").Should().BeTrue();

        File.Exists(Path.Combine(InstallDir, "docs", "operations.md")).Should().BeTrue("the unit's Documentation= points there");
        File.ReadAllText(UnitFile).Should().Be(File.ReadAllText(Path.Combine(ScriptFolder, "dicom-archive.service")));
        result.Output.Should().Contain("system user dicomarchive not created");
    }

    [Test]
    public void Unit_SystemdAnalyzeVerify_ReportsNothing()
    {
        InteropEnvironment.Require(ToolRuns("systemd-analyze", "--version"), "systemd-analyze is not installed (apt package systemd)");
        Install().ExitCode.Should().Be(0);

        // verify checks that ExecStart= exists: point a copy of the unit at the build staged under the prefix.
        var copy = Path.Combine(prefix, "dicom-archive.service");
        File.WriteAllText(copy, File.ReadAllText(UnitFile).Replace("/opt/dicom-archive/", InstallDir + "/", StringComparison.Ordinal));
        var result = ProcessRunner.Run("systemd-analyze", ["verify", copy], stdin: null, TimeSpan.FromMinutes(1));

        // verify exits 0 even for unknown keys or bad values; it prints them, so any output is a failure.
        result.ExitCode.Should().Be(0, result.Error);
        (result.Output + result.Error).Trim().Should().BeEmpty();
    }

    [Test]
    public void Unit_Directives_RunTheInstalledBuildHardenedWithPort104()
    {
        var lines = File.ReadAllLines(Path.Combine(ScriptFolder, "dicom-archive.service"))
            .Where(line => line.Length > 0 && line[0] != '#' && line[0] != '[')
            .ToList();

        lines.Should().Contain([
            "Type=notify",
            "ExecStart=/opt/dicom-archive/dicom-archive --config /etc/dicom-archive/appsettings.json",
            "User=dicomarchive",
            "WorkingDirectory=/var/lib/dicom-archive",
            "Restart=on-failure",
            "RestartSec=5",
            "TimeoutStopSec=30",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ReadWritePaths=/var/lib/dicom-archive /var/log/dicom-archive",
            "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
            "AmbientCapabilities=CAP_NET_BIND_SERVICE",
            "LimitNOFILE=65536",
        ]);
        lines.Should().NotContain(line => line.StartsWith("MemoryDenyWriteExecute=", StringComparison.Ordinal), "the .NET JIT needs W+X memory");
    }

    [Test]
    public void Install_Twice_ReplacesBuildKeepsEditedConfigAndData()
    {
        Install().ExitCode.Should().Be(0);
        File.WriteAllText(ConfigFile, File.ReadAllText(ConfigFile).Replace("\"DICOMARCHIVE\"", "\"EDITED_AE\"", StringComparison.Ordinal));
        var stored = Path.Combine(DataDir, "storage", "1.2.3", "1.2.3.4", "1.2.3.4.5.dcm");
        Directory.CreateDirectory(Path.GetDirectoryName(stored)!);
        File.WriteAllText(stored, "an instance");
        File.WriteAllText(Path.Combine(DataDir, "index.sqlite"), "the index");
        File.WriteAllText(Path.Combine(InstallDir, "stale.dll"), "left by an older build");

        var upgrade = Install();

        upgrade.ExitCode.Should().Be(0, upgrade.Error);
        upgrade.Output.Should().Contain("kept");
        File.ReadAllText(ConfigFile).Should().Contain("\"EDITED_AE\"");
        File.ReadAllText(ConfigFile + ".dist").Should().Contain("\"DICOMARCHIVE\"");
        File.ReadAllText(stored).Should().Be("an instance");
        File.ReadAllText(Path.Combine(DataDir, "index.sqlite")).Should().Be("the index");
        File.Exists(Path.Combine(InstallDir, "stale.dll")).Should().BeFalse("an upgrade replaces the build, it does not merge into it");
        File.Exists(Path.Combine(InstallDir, "dicom-archive")).Should().BeTrue();
        Directory.Exists(InstallDir + ".new").Should().BeFalse();
        Directory.Exists(InstallDir + ".old").Should().BeFalse();
    }

    [Test]
    public async Task InstalledExecutable_VersionAndDump_Run()
    {
        Install().ExitCode.Should().Be(0);
        var exe = Path.Combine(InstallDir, "dicom-archive");
        var file = (await TestInstances.WriteStudyAsync(Path.Combine(prefix, "in"), 1))[0];

        var version = ProcessRunner.Run(exe, ["--version"], stdin: null, TimeSpan.FromMinutes(1));
        var dump = ProcessRunner.Run(exe, ["dump", file], stdin: null, TimeSpan.FromMinutes(1));

        version.ExitCode.Should().Be(0, version.Error);
        version.Output.Should().MatchRegex(@"^\d+\.\d+\.\d+");
        dump.ExitCode.Should().Be(0, dump.Error);
        dump.Output.Should().Contain("Doe^John");
    }

    [Test]
    public async Task InstalledService_InstalledConfig_StartsAndExitsZeroOnSigterm()
    {
        Install().ExitCode.Should().Be(0);

        // The unit's command line, with the data and log paths moved under the prefix.
        using var service = ServiceProcess.Start(Path.Combine(InstallDir, "dicom-archive"),
        [
            "--config", ConfigFile,
            $"--Archive:StorageRoot={Path.Combine(DataDir, "storage")}",
            $"--Archive:IndexPath={Path.Combine(DataDir, "index.sqlite")}",
            $"--Archive:Port={ServiceProcess.FreeTcpPort()}",
            "--Archive:BindAddress=127.0.0.1",
            $"--Serilog:WriteTo:1:Args:path={Path.Combine(LogDir, "dicom-archive-.log")}",
        ]);

        (await service.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(30))).Should().BeTrue(service.Output);
        service.Terminate();
        service.WaitForExit(TimeSpan.FromSeconds(10)).Should().BeTrue(service.Output);

        service.ExitCode.Should().Be(0, service.Output);
        Directory.GetFiles(LogDir, "dicom-archive-*.log").Should().ContainSingle();
    }

    [Test]
    public void Uninstall_WithoutPurge_RemovesBuildAndUnitKeepsConfigDataLogs()
    {
        Install().ExitCode.Should().Be(0);
        File.WriteAllText(Path.Combine(DataDir, "index.sqlite"), "the index");
        File.WriteAllText(Path.Combine(LogDir, "dicom-archive-20250101.log"), "a log");

        var result = RunScript("uninstall.sh", "--prefix", prefix);

        result.ExitCode.Should().Be(0, result.Error);
        Directory.Exists(InstallDir).Should().BeFalse();
        File.Exists(UnitFile).Should().BeFalse();
        File.Exists(ConfigFile).Should().BeTrue();
        File.Exists(Path.Combine(DataDir, "index.sqlite")).Should().BeTrue();
        File.Exists(Path.Combine(LogDir, "dicom-archive-20250101.log")).Should().BeTrue();
    }

    [Test]
    public void Uninstall_Purge_RemovesConfigDataAndLogsToo()
    {
        Install().ExitCode.Should().Be(0);
        File.WriteAllText(Path.Combine(DataDir, "index.sqlite"), "the index");

        var result = RunScript("uninstall.sh", "--prefix", prefix, "--purge");

        result.ExitCode.Should().Be(0, result.Error);
        Directory.Exists(InstallDir).Should().BeFalse();
        Directory.Exists(Path.GetDirectoryName(ConfigFile)).Should().BeFalse();
        Directory.Exists(DataDir).Should().BeFalse();
        Directory.Exists(LogDir).Should().BeFalse();
    }

    [Test]
    public void Install_WithoutABuild_FailsWithUsage()
    {
        var result = RunScript("install.sh", "--prefix", prefix);

        result.ExitCode.Should().NotBe(0);
        result.Error.Should().Contain("--from DIR");
        Directory.Exists(InstallDir).Should().BeFalse();
    }

    [Test]
    public void Install_FromAFolderWithoutTheExecutable_FailsNamingIt()
    {
        var empty = Directory.CreateDirectory(Path.Combine(prefix, "empty")).FullName;

        var result = RunScript("install.sh", "--from", empty, "--prefix", prefix);

        result.ExitCode.Should().NotBe(0);
        result.Error.Should().Contain("no executable 'dicom-archive'");
    }

    private ProcessRunner.Result Install() => RunScript("install.sh", "--from", PublishedBuild.Directory, "--prefix", prefix);

    private static ProcessRunner.Result RunScript(string script, params string[] arguments) =>
        ProcessRunner.Run("bash", [Path.Combine(ScriptFolder, script), .. arguments], stdin: null, TimeSpan.FromMinutes(2));

    private static bool ToolRuns(string tool, string argument)
    {
        try
        {
            return ProcessRunner.Run(tool, [argument], stdin: null, TimeSpan.FromSeconds(30)).ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
