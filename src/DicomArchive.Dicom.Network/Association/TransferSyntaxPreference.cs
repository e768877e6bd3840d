namespace DicomArchive.Dicom.Network.Association;

/// <summary>How the acceptor picks one of the proposed transfer syntaxes of a presentation context.</summary>
public enum TransferSyntaxPreference
{
    /// <summary>The first proposed syntax that we support (keeps what the sender prefers; the default for storage).</summary>
    Proposer,

    /// <summary>The first of our configured syntaxes that was proposed.</summary>
    Acceptor,
}
