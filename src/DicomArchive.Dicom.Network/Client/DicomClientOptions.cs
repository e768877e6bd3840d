namespace DicomArchive.Dicom.Network.Client;

/// <summary>Settings of a <see cref="DicomClient"/> association.</summary>
public sealed class DicomClientOptions
{
    public string CallingAeTitle { get; set; } = "DICOMARCHIVE";

    public string CalledAeTitle { get; set; } = "ANY-SCP";

    /// <summary>Our maximum P-DATA-TF length (PS3.8 D.1), announced in the request and enforced on what we receive.</summary>
    public int MaxPduLength { get; set; } = 65536;

    /// <summary>Time allowed for the TCP connection and the A-ASSOCIATE-AC/RJ (ARTIM, PS3.8 9.1.5).</summary>
    public TimeSpan AssociationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for each DIMSE response and for the A-RELEASE-RP.</summary>
    public TimeSpan DimseTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>DICOM TLS (PS3.15 B.1); null connects in plain TCP.</summary>
    public DicomClientTlsOptions? Tls { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>SCP/SCU role selections to propose (PS3.7 D.3.3.4), e.g. the SCP role for storage classes before a C-GET.</summary>
    public IList<Items.ScpScuRoleSelection> RoleSelections { get; } = new List<Items.ScpScuRoleSelection>();
}
