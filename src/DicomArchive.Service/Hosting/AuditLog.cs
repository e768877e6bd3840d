using DicomArchive.Service.Configuration;
using DicomArchive.Service.Dimse;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Filters;

namespace DicomArchive.Service.Hosting;

/// <summary>
/// The audit trail in its own file (what a privacy officer asks for: every association, store, query and retrieve,
/// with who, when and the outcome), beside the operational log. Path: Archive:AuditLogPath (a daily rolling file,
/// kept Archive:AuditRetainedFiles days); empty turns the separate file off (the events stay in the main log).
/// </summary>
internal static class AuditLog
{
    public const string DefaultPath = "./logs/audit-.log";

    public static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration config)
    {
        var section = config.GetSection(ArchiveOptions.SectionName);
        var path = section["AuditLogPath"] ?? DefaultPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            return logger;
        }

        var retained = int.TryParse(section["AuditRetainedFiles"], System.Globalization.CultureInfo.InvariantCulture, out var days) && days > 0
            ? days
            : 365;
        return logger.WriteTo.Logger(audit => audit
            .Filter.ByIncludingOnly(Matching.FromSource(AuditTrail.Category))
            .WriteTo.File(
                path,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: retained,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Message:lj} {Properties:j}{NewLine}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture));
    }
}
