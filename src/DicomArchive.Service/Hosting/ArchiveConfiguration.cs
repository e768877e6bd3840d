using DicomArchive.Service.Configuration;
using DicomArchive.Storage;
using Microsoft.Extensions.Configuration;

namespace DicomArchive.Service.Hosting;

/// <summary>
/// The configuration contract of ARCHITECTURE.md, shared by the service and the maintenance verbs:
/// appsettings.json next to the executable (or --config PATH), then DICOMARCHIVE_ environment variables,
/// then --Section:Key=value arguments, each overriding the one before.
/// </summary>
internal static class ArchiveConfiguration
{
    public static void AddSources(IConfigurationBuilder config, string? configPath, string[] args)
    {
        if (configPath is null)
        {
            config.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        }
        else
        {
            var full = Path.GetFullPath(configPath);
            if (!File.Exists(full))
            {
                throw new ConfigurationFileException($"--config: {full} does not exist");
            }

            config.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        config.AddEnvironmentVariables("DICOMARCHIVE_");
        config.AddCommandLine(args);
    }

    /// <summary>Loads and validates the Archive section for a verb; failures come back as lines naming each key.</summary>
    public static (ArchiveOptions? Options, IReadOnlyList<string> Failures) LoadArchiveOptions(string[] args)
    {
        var (configPath, rest) = ExtractConfigPath(args);
        var builder = new ConfigurationBuilder();
        try
        {
            AddSources(builder, configPath, rest);
        }
        catch (ConfigurationFileException ex)
        {
            return (null, [ex.Message]);
        }

        var options = new ArchiveOptions();
        ArchiveOptionsBinder.Bind(builder.Build().GetSection(ArchiveOptions.SectionName), options);

        var result = new ArchiveOptionsValidator().Validate(null, options);
        return result.Failed ? (null, [.. result.Failures ?? []]) : (options, []);
    }

    /// <summary>The storage layer's options from the Archive section.</summary>
    public static ArchiveStorageOptions ToStorageOptions(ArchiveOptions options) => new()
    {
        StorageRoot = options.StorageRoot,
        IndexPath = options.IndexPath,
        FsyncPolicy = options.FsyncPolicy,
        DuplicatePolicy = options.DuplicatePolicy,
        MinimumFreeDiskBytes = options.MinimumFreeDiskBytes,
        DefaultCharacterSet = options.DefaultCharacterSet,
        AcceptUnknownSopClasses = options.AcceptUnknownSopClasses,
    };

    public static (string? ConfigPath, string[] Remaining) ExtractConfigPath(string[] args)
    {
        string? path = null;
        var rest = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                path = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                path = args[i]["--config=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return (path, [.. rest]);
    }
}
