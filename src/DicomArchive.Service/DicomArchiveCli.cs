using System.CommandLine;
using DicomArchive.Service.Hosting;
using DicomArchive.Service.Verbs;

namespace DicomArchive.Service;

/// <summary>
/// The command line of `dicom-archive`: without a verb it runs the service; verbs are maintenance tools.
/// Output goes to the writers given, so tests run verbs in-process.
/// </summary>
internal static class DicomArchiveCli
{
    /// <summary>Builds the command tree. Tokens the root does not know are left to the host's configuration (--Archive:Port=...).</summary>
    public static RootCommand CreateRootCommand(string[] args)
    {
        var root = new RootCommand("DicomArchive: a DICOM archive (store, query, retrieve). Without a verb, runs the service.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Add(DumpVerb.Create());
        root.Add(ImportVerb.Create());
        root.Add(ReindexVerb.Create());
        root.Add(VerifyVerb.Create());
        root.Add(EchoVerb.Create());
        root.Add(StatsVerb.Create());
        root.SetAction((_, cancellationToken) => ServiceHost.RunAsync(args, cancellationToken));
        return root;
    }

    /// <summary>
    /// Parses and runs. Exceptions the verbs do not expect are not turned into an exit code here, so tests see
    /// them; <see cref="Program"/> is the last line of defence.
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        return CreateRootCommand(args).Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>Synchronous convenience for tests.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr).GetAwaiter().GetResult();
}
