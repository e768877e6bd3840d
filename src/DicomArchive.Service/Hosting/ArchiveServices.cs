using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Commitment;
using DicomArchive.Service.Configuration;
using DicomArchive.Service.Dimse;
using DicomArchive.Service.Retrieve;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
        services.AddSingleton<StorageCommitmentHandler>();
        services.AddSingleton<StorageCommitmentDelivery>();
        services.AddSingleton(sp => new DicomServiceHandlers
        {
            Store = sp.GetRequiredService<ArchiveStoreHandler>(),
            Find = sp.GetRequiredService<ArchiveFindHandler>(),
            Move = sp.GetRequiredService<ArchiveMoveHandler>(),
            Get = sp.GetRequiredService<ArchiveGetHandler>(),
            Action = sp.GetRequiredService<IOptions<ArchiveOptions>>().Value.StorageCommitment.Enabled
                ? sp.GetRequiredService<StorageCommitmentHandler>()
                : null,
        });
        services.AddSingleton<ArchiveService>();
        services.AddHostedService(sp => sp.GetRequiredService<ArchiveService>());

        // After ArchiveService, so the store is open when the delivery loop starts (and it stops first).
        services.AddHostedService(sp => sp.GetRequiredService<StorageCommitmentDelivery>());
    }
}
