using DicomArchive.Dicom.Network.Server;
using DicomArchive.Storage;

namespace DicomArchive.Service.Configuration;

/// <summary>The "Archive" section of appsettings.json (names are a contract: see ARCHITECTURE.md and config/appsettings.json).</summary>
public sealed class ArchiveOptions
{
    public const string SectionName = "Archive";

    /// <summary>This archive's AE title (PS3.8 9.3.2: 1-16 characters of the default repertoire, no backslash or control characters).</summary>
    public string AeTitle { get; set; } = "DICOMARCHIVE";

    /// <summary>The DIMSE listening port.</summary>
    public int Port { get; set; } = 11112;

    /// <summary>The address to listen on: "*" (all IPv4 and IPv6 addresses), "127.0.0.1", "::1" or any local address.</summary>
    public string BindAddress { get; set; } = "*";

    /// <summary>The folder that holds the instance files.</summary>
    public string StorageRoot { get; set; } = "./data/storage";

    /// <summary>The SQLite index file.</summary>
    public string IndexPath { get; set; } = "./data/index.sqlite";

    /// <summary>Always: success is answered only after the file and its index row are on disk (fsync). Never: page cache only.</summary>
    public FsyncPolicy FsyncPolicy { get; set; } = FsyncPolicy.Always;

    /// <summary>What a second store of a SOP Instance UID does: KeepFirst (success), Overwrite (success), Reject (0x0111).</summary>
    public DuplicatePolicy DuplicatePolicy { get; set; } = DuplicatePolicy.KeepFirst;

    /// <summary>Below this many free bytes on the storage volume, stores are refused with 0xA700 (out of resources).</summary>
    public long MinimumFreeDiskBytes { get; set; } = 1L << 30;

    /// <summary>The Specific Character Set assumed for data sets that do not name one (many modalities omit it).</summary>
    public string DefaultCharacterSet { get; set; } = "ISO_IR 100";

    /// <summary>Accept SOP classes that are not storage classes of the standard's registry (private ones).</summary>
    public bool AcceptUnknownSopClasses { get; set; }

    /// <summary>
    /// The most matches one C-FIND returns; past it the query ends with 0xA700 (out of resources) after that many
    /// pending responses, so a careless "*" cannot walk the whole archive. 0 means no limit.
    /// </summary>
    public int MaxQueryResults { get; set; } = 10_000;

    /// <summary>The audit trail's own daily file (associations, stores, queries, retrieves); empty: only the main log.</summary>
    public string AuditLogPath { get; set; } = Hosting.AuditLog.DefaultPath;

    /// <summary>Days of audit files kept.</summary>
    public int AuditRetainedFiles { get; set; } = 365;

    /// <summary>
    /// Transfer syntax UIDs accepted for storage (C-STORE and C-GET sub-operations); empty accepts every transfer
    /// syntax of the standard's registry. A presentation context proposing none of them is rejected with reason 4.
    /// </summary>
    public List<string> AcceptedTransferSyntaxes { get; set; } = [];

    /// <summary>Refuse associations whose called AE title is not <see cref="AeTitle"/> (A-ASSOCIATE-RJ, reason 7).</summary>
    public bool CheckCalledAeTitle { get; set; } = true;

    /// <summary>Only callers listed in <see cref="Peers"/> may associate (A-ASSOCIATE-RJ, reason 3).</summary>
    public bool RestrictCallingAeTitles { get; set; }

    /// <summary>The most associations served at once; more are refused with the transient local-limit reason.</summary>
    public int MaxAssociations { get; set; } = 64;

    /// <summary>The largest PDU we accept (PS3.8 D.1); what we send follows the peer's limit.</summary>
    public int MaxPduLength { get; set; } = 262144;

    /// <summary>Seconds to wait for an A-ASSOCIATE-RQ after a connection opens, and for a release reply (the ARTIM timer).</summary>
    public int AssociationTimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds an association may stay silent before it is aborted.</summary>
    public int IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>Seconds to wait for a DIMSE response from a peer.</summary>
    public int DimseTimeoutSeconds { get; set; } = 60;

    /// <summary>Known remote AEs: C-MOVE destinations and, with <see cref="RestrictCallingAeTitles"/>, the allowed callers.</summary>
    public List<PeerOptions> Peers { get; set; } = [];

    /// <summary>Storage Commitment Push Model (results go to the requester, found in <see cref="Peers"/> by its AE title).</summary>
    public StorageCommitmentOptions StorageCommitment { get; set; } = new();

    /// <summary>DICOM TLS on its own port (off unless Archive:Tls:Port is set).</summary>
    public ArchiveTlsOptions Tls { get; set; } = new();

    /// <summary>Values that could not be converted to their key's type, reported by the validator with the other failures.</summary>
    internal List<string> BindingFailures { get; } = [];
}

/// <summary>A remote application entity this archive knows.</summary>
public sealed class PeerOptions
{
    public string AeTitle { get; set; } = string.Empty;

    /// <summary>
    /// Its host name or IP address. With <see cref="ArchiveOptions.RestrictCallingAeTitles"/> a caller using this AE
    /// title must connect from this address (names are resolved once, at start); "*" accepts any address.
    /// </summary>
    public string Host { get; set; } = string.Empty;

    public int Port { get; set; } = 104;

    /// <summary>
    /// The most associations the archive opens to this AE at once for C-MOVE; further moves to it wait their turn,
    /// so that several viewers pulling at once do not overrun a destination that serves few associations.
    /// </summary>
    public int MaxAssociations { get; set; } = 4;

    /// <summary>
    /// How many of those associations one C-MOVE may use at once (1 to <see cref="MaxAssociations"/>): the first is
    /// opened as always, the others only when a slot is free at that moment, and each instance goes on whichever
    /// association is free. A destination that serves associations in parallel takes a study faster; one that serves
    /// one at a time gets every instance on the first. Absent: 3, or MaxAssociations when that is less (on this
    /// project's 2-core benchmark machine 3 moved a CT study to storescp 10-25% faster than 2, 4 no faster than 3).
    /// </summary>
    public int? AssociationsPerMove { get; set; }

    /// <summary>The value of <see cref="AssociationsPerMove"/> in effect.</summary>
    internal int EffectiveAssociationsPerMove => AssociationsPerMove ?? Math.Min(DefaultAssociationsPerMove, Math.Max(1, MaxAssociations));

    internal const int DefaultAssociationsPerMove = 3;

    /// <summary>The services it may use as a caller (Echo, Store, Find, Move, Get); null or absent permits all.</summary>
    public List<DicomServices>? Permissions { get; set; }

    /// <summary>
    /// Open associations to this peer (C-MOVE destination, Storage Commitment requester) over DICOM TLS: its certificate
    /// must chain to Archive:Tls:PeerCaPath (the system store when empty) and name <see cref="Host"/>; our certificate
    /// is Archive:Tls:ClientCertificatePath when set.
    /// </summary>
    public bool Tls { get; set; }
}
