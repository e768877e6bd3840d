using DicomArchive.Service.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;

namespace DicomArchive.Service.Hosting;

/// <summary>
/// The audit trail in its own file (what a privacy officer asks for: every association, store, query and retrieve,
/// with who, when and the outcome), beside the operational log. Path: Archive:AuditLogPath (a daily rolling file,
/// kept Archive:AuditRetainedFiles days); empty turns the separate file off and the events go to the main log.
/// </summary>
/// <remarks>
/// The file has its own Serilog logger rather than a filtered branch of the main one, so the per-instance events
/// (one per C-STORE) are formatted and written once, to the audit file, and do not also flood the console/journal and
/// the operational log: on a 2-core host three formatted copies of every STORE line cost about a tenth of the
/// server's CPU per small instance (docs/performance.md). Warnings (rejected associations) still reach the main log.
/// </remarks>
internal sealed class AuditLog : IDisposable
{
    public const string DefaultPath = "./logs/audit-.log";

    /// <summary>
    /// How often buffered audit lines reach the file (and the disk: the flush is an fsync). Unbuffered, every STORE line
    /// was a write system call of its own, about 3% of the server's CPU per small instance at 4 associations; the
    /// price is that a crash (kill -9, power cut) can lose the audit lines of the last second. A clean stop flushes.
    /// </summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly Serilog.Core.Logger? fileLogger;
    private readonly SerilogLoggerFactory? fileLoggerFactory;

    public AuditLog(IConfiguration config, ILoggerFactory mainLoggerFactory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(mainLoggerFactory);
        var section = config.GetSection(ArchiveOptions.SectionName);
        var path = section["AuditLogPath"] ?? DefaultPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            Separate = false;
            Factory = mainLoggerFactory;
            return;
        }

        var retained = int.TryParse(section["AuditRetainedFiles"], System.Globalization.CultureInfo.InvariantCulture, out var days) && days > 0
            ? days
            : 365;
        fileLogger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.File(
                path,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: retained,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Message:lj}{NewLine}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                buffered: true,
                flushToDiskInterval: FlushInterval)
            .CreateLogger();
        fileLoggerFactory = new SerilogLoggerFactory(fileLogger, dispose: false);
        Separate = true;
        Factory = fileLoggerFactory;
    }

    /// <summary>Creates the audit trail's loggers: the audit file's, or the main log's when there is no separate file.</summary>
    public ILoggerFactory Factory { get; }

    /// <summary>True when the events go to their own file (and not to the main log).</summary>
    public bool Separate { get; }

    public void Dispose()
    {
        fileLoggerFactory?.Dispose();
        fileLogger?.Dispose();
    }
}
