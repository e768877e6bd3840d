using Microsoft.Extensions.DependencyInjection;

namespace DicomArchive.Service.Hosting;

/// <summary>Registers the archive's hosted services (the DIMSE listener and, later, storage and the forwarder).</summary>
internal static class ArchiveServices
{
    public static void Add(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }
}
