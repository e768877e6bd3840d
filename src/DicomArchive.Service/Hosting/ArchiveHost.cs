using DicomArchive.Service.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serilog;

namespace DicomArchive.Service.Hosting;

/// <summary>
/// Builds and runs the archive service: Generic Host with configuration from appsettings.json (next to the
/// executable, or --config PATH), DICOMARCHIVE_ environment variables and --Key=value arguments; Serilog;
/// systemd and Windows Service integration; options validated before anything listens.
/// </summary>
internal static class ArchiveHost
{
    /// <summary>The exit code for a configuration that failed validation.</summary>
    public const int ConfigurationErrorExitCode = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        Log.Logger = new LoggerConfiguration().WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateBootstrapLogger();
        try
        {
            using var host = Build(args);

            // Validate before the host starts, so a wrong value is reported as our one-line-per-key message
            // instead of the host's "failed to start" stack trace.
            _ = host.Services.GetRequiredService<IOptions<ArchiveOptions>>().Value;
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            // One line per wrong key, no stack trace: the operator fixes the file and starts again.
            foreach (var failure in ex.Failures)
            {
                await stderr.WriteLineAsync(failure).ConfigureAwait(false);
            }

            return ConfigurationErrorExitCode;
        }
        catch (ConfigurationFileException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ConfigurationErrorExitCode;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Fatal(ex, "DicomArchive stopped because of an unexpected error");
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Builds the host without running it (tests start and stop it themselves).</summary>
    public static IHost Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var (configPath, rest) = ArchiveConfiguration.ExtractConfigPath(args);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = rest,
            ContentRootPath = AppContext.BaseDirectory,
            Configuration = new ConfigurationManager(),
            DisableDefaults = true,
        });

        var config = builder.Configuration;
        ArchiveConfiguration.AddSources(config, configPath, rest);

        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(config)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext());
        builder.Services.AddSingleton(services => new AuditLog(config, services.GetRequiredService<ILoggerFactory>()));

        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(options => options.ServiceName = "DicomArchive");

        builder.Services.AddSingleton<IValidateOptions<ArchiveOptions>, ArchiveOptionsValidator>();
        builder.Services.AddOptions<ArchiveOptions>()
            .Configure<IConfiguration>((options, configuration) => ArchiveOptionsBinder.Bind(configuration.GetSection(ArchiveOptions.SectionName), options))
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);

        ArchiveServices.Add(builder.Services);
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }
}

/// <summary>A configuration file named on the command line that cannot be used.</summary>
internal sealed class ConfigurationFileException(string message) : Exception(message);
