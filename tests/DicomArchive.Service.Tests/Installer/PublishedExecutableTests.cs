using DicomArchive.Service.Tests.Support;

namespace DicomArchive.Service.Tests.Installer;

/// <summary>
/// The published executable run as a service manager runs it: a configuration file (--config) with overrides
/// on the command line, started, then stopped with SIGTERM.
/// </summary>
[Category("Interop")]
public sealed class PublishedExecutableTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private string root = null!;

    [OneTimeSetUp]
    public void PublishOnce()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("SIGTERM is a Unix signal; the Windows service stop is exercised by install.ps1");
        }

        _ = PublishedBuild.Directory;
    }

    [SetUp]
    public void SetUp() => root = TestInstances.NewTempFolder("published");

    [TearDown]
    public void TearDown() => Directory.Delete(root, recursive: true);

    [Test]
    public async Task Run_ConfigFileAndOverrides_StartsAndExitsZeroOnSigterm()
    {
        var config = CopyShippedConfig();
        var port = ServiceProcess.FreeTcpPort();
        using var service = ServiceProcess.Start(PublishedBuild.Executable, ["--config", config, .. Overrides(), $"--Archive:Port={port}"]);

        var started = await service.WaitForOutputAsync("Application started", StartTimeout);
        started.Should().BeTrue($"the host reports that it started; output:\n{service.Output}");
        using (var probe = new System.Net.Sockets.TcpClient())
        {
            await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
            probe.Connected.Should().BeTrue("the DIMSE listener is open on the overridden port");
        }

        service.Terminate();
        service.WaitForExit(StopTimeout).Should().BeTrue($"SIGTERM stops the service within {StopTimeout}; output:\n{service.Output}");

        service.ExitCode.Should().Be(0, service.Output);
        Directory.GetFiles(Path.Combine(root, "logs"), "dicom-archive-*.log").Should().ContainSingle("the file sink path override is honoured");
    }

    [Test]
    public void Run_WrongValuesInFileAndOverride_ExitsTwoWithOneLinePerKey()
    {
        var config = CopyShippedConfig();
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"MaxAssociations\": 64", "\"MaxAssociations\": 0", StringComparison.Ordinal));
        using var service = ServiceProcess.Start(PublishedBuild.Executable, ["--config", config, .. Overrides(), "--Archive:Port=70000"]);

        service.WaitForExit(StartTimeout).Should().BeTrue(service.Output);

        service.ExitCode.Should().Be(2, service.Output);
        service.Output.Should().Contain("Archive:Port").And.Contain("Archive:MaxAssociations").And.NotContain("   at ");
    }

    [Test]
    public void Run_MissingConfigFile_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(root, "nowhere.json");
        using var service = ServiceProcess.Start(PublishedBuild.Executable, ["--config", missing]);

        service.WaitForExit(StartTimeout).Should().BeTrue(service.Output);

        service.ExitCode.Should().Be(2, service.Output);
        service.Output.Should().Contain(missing);
    }

    /// <summary>The shipped, commented appsettings.json (as published) copied into the test folder.</summary>
    private string CopyShippedConfig()
    {
        var config = Path.Combine(root, "appsettings.json");
        File.Copy(Path.Combine(PublishedBuild.Directory, "appsettings.json"), config);
        return config;
    }

    private string[] Overrides() =>
    [
        $"--Archive:StorageRoot={Path.Combine(root, "storage")}",
        $"--Archive:IndexPath={Path.Combine(root, "index.sqlite")}",
        "--Archive:BindAddress=127.0.0.1",
        $"--Serilog:WriteTo:1:Args:path={Path.Combine(root, "logs", "dicom-archive-.log")}",
    ];
}
