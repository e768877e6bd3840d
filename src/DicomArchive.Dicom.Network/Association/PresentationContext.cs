using DicomArchive.Dicom.Network.Items;

namespace DicomArchive.Dicom.Network.Association;

/// <summary>A negotiated presentation context: what was proposed and what the acceptor answered (PS3.8 9.3.2.2, 9.3.3.2).</summary>
public sealed class PresentationContext
{
    public PresentationContext(byte id, string abstractSyntax, PresentationContextResult result, string? transferSyntax)
    {
        Id = id;
        AbstractSyntax = abstractSyntax;
        Result = result;
        TransferSyntax = transferSyntax;
    }

    public byte Id { get; }

    public string AbstractSyntax { get; }

    public PresentationContextResult Result { get; }

    /// <summary>The accepted transfer syntax UID; null when the context was rejected.</summary>
    public string? TransferSyntax { get; }

    public bool IsAccepted => Result == PresentationContextResult.Acceptance;

    public override string ToString() => $"[{Id}] {AbstractSyntax} {Result} {TransferSyntax}";
}
