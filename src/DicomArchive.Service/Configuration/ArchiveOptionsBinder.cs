using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace DicomArchive.Service.Configuration;

/// <summary>
/// Binds the Archive section key by key, so that a value of the wrong type ("Port": "abc", an unknown policy name)
/// becomes one validation failure naming the key, beside every other failure, instead of one exception that hides
/// the rest. The failures are handed to <see cref="ArchiveOptionsValidator"/> through <see cref="ArchiveOptions.BindingFailures"/>.
/// </summary>
internal static class ArchiveOptionsBinder
{
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "ArchiveOptions and its members are preserved by direct use.")]
    public static void Bind(IConfiguration section, ArchiveOptions options)
    {
        foreach (var property in typeof(ArchiveOptions).GetProperties())
        {
            if (!property.CanWrite || property.Name == nameof(ArchiveOptions.BindingFailures))
            {
                continue;
            }

            var child = section.GetSection(property.Name);
            if (!child.Exists())
            {
                continue;
            }

            try
            {
                var value = child.Get(property.PropertyType);
                if (value is not null)
                {
                    property.SetValue(options, value);
                }
            }
            catch (InvalidOperationException)
            {
                options.BindingFailures.Add($"{ArchiveOptions.SectionName}:{property.Name}: '{child.Value}' is not {Describe(property.PropertyType)}");
            }
        }
    }

    private static string Describe(Type type) => type.IsEnum
        ? "one of " + string.Join(", ", Enum.GetNames(type))
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(bool) ? "true or false"
        : "a valid " + type.Name;
}
