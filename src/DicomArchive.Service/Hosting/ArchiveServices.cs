using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Dimse;
using DicomArchive.Service.Retrieve;
using Microsoft.Extensions.DependencyInjection;

namespace DicomArchive.Service.Hosting;

/// <summary>Registers the archive: the store holder, the DIMSE handlers and the service that runs them.</summary>
internal static class ArchiveServices
{
    public static void Add(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<ArchiveStoreHolder>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<ArchiveStoreHandler>();
        services.AddSingleton<ArchiveFindHandler>();
        services.AddSingleton<MoveDestinations>();
        services.AddSingleton<ArchiveMoveHandler>();
        services.AddSingleton<ArchiveGetHandler>();
        services.AddSingleton(sp => new DicomServiceHandlers
        {
            Store = sp.GetRequiredService<ArchiveStoreHandler>(),
            Find = sp.GetRequiredService<ArchiveFindHandler>(),
            Move = sp.GetRequiredService<ArchiveMoveHandler>(),
            Get = sp.GetRequiredService<ArchiveGetHandler>(),
        });
        services.AddSingleton<ArchiveService>();
        services.AddHostedService(sp => sp.GetRequiredService<ArchiveService>());
    }
}
