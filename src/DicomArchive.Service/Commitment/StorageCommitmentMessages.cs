using System.Buffers;
using DicomArchive.Dicom;
using DicomArchive.Storage.Commitment;

namespace DicomArchive.Service.Commitment;

/// <summary>The Action Information of a request and the Event Information of a result (PS3.4 J.3.2.1, J.3.3.1).</summary>
internal static class StorageCommitmentMessages
{
    /// <summary>Action Type ID 1: Request Storage Commitment (PS3.4 Table J.3-1).</summary>
    public const ushort RequestStorageCommitment = 1;

    /// <summary>Event Type ID 1: storage commitment request successful (PS3.4 Table J.3-2).</summary>
    public const ushort AllCommitted = 1;

    /// <summary>Event Type ID 2: storage commitment request complete, failures exist.</summary>
    public const ushort FailuresExist = 2;

    /// <summary>Reads Transaction UID and the Referenced SOP Sequence; returns an error text when either is missing or empty.</summary>
    public static string? TryReadRequest(ReadOnlyMemory<byte> actionInformation, string transferSyntaxUid, out string transactionUid,
        out List<CommitmentReference> references)
    {
        transactionUid = "";
        references = [];
        DicomDataset dataset;
        try
        {
            dataset = DicomDatasetReader.Read(actionInformation, TransferSyntax.Lookup(transferSyntaxUid));
        }
        catch (DicomContentException ex)
        {
            return "Action Information: " + (ex.Reason ?? ex.Message);
        }

        transactionUid = dataset.GetString(DicomTag.TransactionUID).Trim();
        if (transactionUid.Length == 0)
        {
            return "Transaction UID (0008,1195) missing";
        }

        var sequence = dataset.GetSequence(DicomTag.ReferencedSOPSequence);
        if (sequence is null || sequence.Items.Count == 0)
        {
            return "Referenced SOP Sequence (0008,1199) missing or empty";
        }

        foreach (var item in sequence.Items)
        {
            var sopClass = item.GetString(DicomTag.ReferencedSOPClassUID).Trim();
            var sopInstance = item.GetString(DicomTag.ReferencedSOPInstanceUID).Trim();
            if (sopClass.Length == 0 || sopInstance.Length == 0)
            {
                return "Referenced SOP Sequence item without SOP Class or Instance UID";
            }

            references.Add(new CommitmentReference(sopClass, sopInstance));
        }

        return null;
    }

    /// <summary>
    /// The Event Information of the result: Transaction UID echoed, committed instances in the Referenced SOP Sequence,
    /// the others in the Failed SOP Sequence with their Failure Reason (PS3.4 J.3.3.1.1). Returns the Event Type ID.
    /// </summary>
    public static ushort BuildResult(string transactionUid, string retrieveAeTitle, IReadOnlyList<CommitmentItemResult> results,
        string transferSyntaxUid, out ReadOnlyMemory<byte> eventInformation)
    {
        var committed = new List<DicomDataset>();
        var failed = new List<DicomDataset>();
        foreach (var result in results)
        {
            var item = new DicomDataset()
                .AddOrUpdate(DicomTag.ReferencedSOPClassUID, result.Reference.SopClassUid)
                .AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, result.Reference.SopInstanceUid);
            if (result.IsCommitted)
            {
                committed.Add(item);
            }
            else
            {
                failed.Add(item.AddOrUpdate(DicomTag.FailureReason, DicomVR.US, (long)result.FailureReason));
            }
        }

        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTag.TransactionUID, transactionUid)
            .AddOrUpdate(DicomTag.RetrieveAETitle, retrieveAeTitle);
        if (committed.Count > 0)
        {
            dataset.AddOrUpdate(DicomTag.ReferencedSOPSequence, [.. committed]);
        }

        if (failed.Count > 0)
        {
            dataset.AddOrUpdate(DicomTag.FailedSOPSequence, [.. failed]);
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        DicomDatasetWriter.Write(buffer, dataset, TransferSyntax.Lookup(transferSyntaxUid));
        eventInformation = buffer.WrittenMemory;
        return failed.Count == 0 ? AllCommitted : FailuresExist;
    }
}
