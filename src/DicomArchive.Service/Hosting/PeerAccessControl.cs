using System.Net;
using System.Net.Sockets;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Configuration;

namespace DicomArchive.Service.Hosting;

/// <summary>
/// The per-association access decision from Archive:Peers: with RestrictCallingAeTitles only listed AE titles,
/// connecting from their configured host, may associate; a listed peer may use only its Permissions. Host names are
/// resolved once, when the service starts, so that a slow DNS cannot stall negotiation.
/// </summary>
internal sealed class PeerAccessControl
{
    private readonly bool restrict;
    private readonly Dictionary<string, Peer> peers = new(StringComparer.Ordinal);

    private PeerAccessControl(bool restrict) => this.restrict = restrict;

    public static async Task<PeerAccessControl> CreateAsync(ArchiveOptions archive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var control = new PeerAccessControl(archive.RestrictCallingAeTitles);
        foreach (var peer in archive.Peers)
        {
            var services = DicomServices.All;
            if (peer.Permissions is { } list)
            {
                services = DicomServices.None;
                foreach (var service in list)
                {
                    services |= service;
                }
            }

            var addresses = archive.RestrictCallingAeTitles ? await ResolveAsync(peer.Host.Trim(), cancellationToken).ConfigureAwait(false) : null;
            control.peers.TryAdd(peer.AeTitle.Trim(), new Peer(peer.Host.Trim(), addresses, services));
        }

        return control;
    }

    public AssociationPermissions Authorize(string callingAeTitle, IPAddress? remote)
    {
        if (!peers.TryGetValue(callingAeTitle.Trim(), out var peer))
        {
            return restrict ? AssociationPermissions.Deny($"calling AE title '{callingAeTitle}' is not a configured peer") : AssociationPermissions.All;
        }

        if (restrict && peer.Addresses is not null)
        {
            var address = Normalize(remote);
            if (address is null || !peer.Addresses.Contains(address))
            {
                return AssociationPermissions.Deny($"'{callingAeTitle}' connected from {address?.ToString() ?? "an unknown address"}, not from its host {peer.Host}");
            }
        }

        return peer.Services == DicomServices.All ? AssociationPermissions.All : new AssociationPermissions(true, peer.Services);
    }

    /// <summary>The addresses of a host ("*": any, null); an unresolvable name matches nothing (callers are refused, not let in).</summary>
    private static async Task<HashSet<IPAddress>?> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (host == "*")
        {
            return null;
        }

        var set = new HashSet<IPAddress>();
        if (IPAddress.TryParse(host, out var literal))
        {
            set.Add(Normalize(literal)!);
            return set;
        }

        try
        {
            foreach (var address in await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false))
            {
                set.Add(Normalize(address)!);
            }
        }
        catch (SocketException)
        {
            // Unknown name: nobody can connect "from" it.
        }

        return set;
    }

    /// <summary>A dual-mode listener reports IPv4 callers as IPv4-mapped IPv6 addresses.</summary>
    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private sealed record Peer(string Host, HashSet<IPAddress>? Addresses, DicomServices Services);
}
