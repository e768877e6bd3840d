using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Storage;

namespace DicomArchive.Service.Retrieve;

/// <summary>Where the C-STORE sub-operations of a retrieve go: the C-MOVE destination's association or the C-GET requester's.</summary>
internal interface ISubOperationTarget
{
    /// <summary>A name for logs: the destination AE title or the requester.</summary>
    string Name { get; }

    /// <summary>The transfer syntaxes the peer accepted for a SOP class (one per accepted presentation context).</summary>
    IReadOnlyCollection<string> AcceptedTransferSyntaxes(string sopClassUid);

    /// <summary>Sends one instance; returns the status of the peer's C-STORE-RSP.</summary>
    Task<DimseStatus> StoreAsync(StoredInstance instance, TransferSyntax syntax, Stream dataSet, CancellationToken ct);
}

/// <summary>The association carrying the sub-operations failed while sending: nothing more can be sent on it.</summary>
internal sealed class SubOperationAssociationException(Exception inner) : Exception(inner.Message, inner);
