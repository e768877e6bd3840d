namespace DicomArchive.Service.Tests.Verbs;

public sealed class DumpVerbTests
{
    private static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = DicomArchiveCli.Run(args, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public void Run_MissingFile_OneLineOnStderrAndExitCode1()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".dcm");

        var (exitCode, output, error) = Run("dump", path);

        exitCode.Should().Be(1);
        output.Should().BeEmpty();
        error.TrimEnd('\n').Should().NotContain("\n").And.Contain(path).And.Contain("no such file");
    }

    [Test]
    public void Run_NotDicom_OneLineWithOffsetAndExitCode1()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "this is not DICOM at all, just some text\n");

            var (exitCode, output, error) = Run("dump", path, "--json");

            exitCode.Should().Be(1);
            output.Should().BeEmpty();
            error.TrimEnd('\n').Should().NotContain("\n").And.Contain(path).And.Contain("offset");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Run_NegativeBulkDataThreshold_ExitCode1()
    {
        var path = Path.GetTempFileName();
        try
        {
            Run("dump", path, "--json", "--bulk-data-threshold", "-1").ExitCode.Should().Be(1);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Run_DumpWithoutFile_ParseErrorExitCode()
    {
        Run("dump").ExitCode.Should().NotBe(0);
    }

    [Test]
    public void CreateRootCommand_HostArguments_AreNotParseErrors()
    {
        // Without a verb the root runs the service host, which reads --config and --Section:Key=value itself.
        var root = DicomArchiveCli.CreateRootCommand([]);

        root.Parse(["--Archive:Port=11113", "--config", "x.json"]).Errors.Should().BeEmpty();
        root.Subcommands.Should().Contain(c => c.Name == "dump");
    }
}
