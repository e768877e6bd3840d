using System.Net;
using DicomArchive.Dicom.Network.Association;

namespace DicomArchive.Dicom.Network.Server;

/// <summary>Settings of a <see cref="DicomServer"/> (bound by the service from the Archive configuration section).</summary>
public sealed class DicomServerOptions
{
    /// <summary>Our AE title (Archive:AeTitle).</summary>
    public string AeTitle { get; set; } = "DICOMARCHIVE";

    /// <summary>TCP port (Archive:Port); 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 11112;

    /// <summary>Address to listen on; null listens on every IPv6 and IPv4 address (dual mode).</summary>
    public IPAddress? ListenAddress { get; set; }

    /// <summary>Our maximum P-DATA-TF length (PS3.8 D.1): bounds every PDU we accept. 4096 to 16 MiB.</summary>
    public int MaxPduLength { get; set; } = 65536;

    /// <summary>Concurrent associations; one more is rejected as transient "local limit exceeded".</summary>
    public int MaxAssociations { get; set; } = 64;

    /// <summary>ARTIM timeout: time allowed for the A-ASSOCIATE-RQ after connect, and for the peer's close (PS3.8 9.1.5).</summary>
    public TimeSpan AssociationRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time an established association may stay silent between messages before it is aborted.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Time allowed between the PDUs of one DIMSE message (data set fragments) and for a peer's response.</summary>
    public TimeSpan DimseTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>On stop, time left to running associations before they are aborted.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether requests to another called AE title are rejected.</summary>
    public bool CheckCalledAeTitle { get; set; } = true;

    /// <summary>When set, only these calling AE titles may associate (off by default).</summary>
    public IReadOnlyCollection<string>? AllowedCallingAeTitles { get; set; }

    /// <summary>Which side's order picks the transfer syntax of a presentation context.</summary>
    public TransferSyntaxPreference TransferSyntaxPreference { get; set; } = TransferSyntaxPreference.Proposer;

    /// <summary>Transfer syntaxes accepted for storage; null accepts every transfer syntax registered in PS3.6.</summary>
    public IReadOnlyList<string>? StorageTransferSyntaxes { get; set; }

    /// <summary>
    /// Decides per association what the caller (calling AE title, remote address) may do; null permits everything.
    /// Called once per A-ASSOCIATE-RQ, before negotiation: keep it fast (no name resolution).
    /// </summary>
    public Func<string, IPAddress?, AssociationPermissions>? Authorize { get; set; }

    /// <summary>Told of every accepted and rejected association (the service's audit trail); null for none.</summary>
    public IAssociationObserver? AssociationObserver { get; set; }

    /// <summary>DICOM TLS on this server's port (PS3.15 B.1); null serves plain TCP.</summary>
    public DicomTlsOptions? Tls { get; set; }

    /// <summary>Checks the values; returns one message per problem (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(AeTitle) || AeTitle.Length > 16 || AeTitle.Contains('\\', StringComparison.Ordinal))
        {
            problems.Add("AeTitle must be 1-16 characters without a backslash");
        }

        if (Port is < 0 or > 65535)
        {
            problems.Add("Port must be 0-65535");
        }

        if (MaxPduLength is < 4096 or > 16 * 1024 * 1024)
        {
            problems.Add("MaxPduLength must be 4096 to 16777216");
        }

        if (MaxAssociations < 1)
        {
            problems.Add("MaxAssociations must be at least 1");
        }

        if (AssociationRequestTimeout <= TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero || DimseTimeout <= TimeSpan.Zero || StopTimeout < TimeSpan.Zero)
        {
            problems.Add("Timeouts must be positive");
        }

        return problems;
    }
}
