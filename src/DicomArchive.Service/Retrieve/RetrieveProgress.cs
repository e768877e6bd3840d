using System.Buffers;
using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Service.Retrieve;

/// <summary>
/// The sub-operation counts of one C-MOVE or C-GET and the UIDs that failed, turned into pending and final responses
/// (PS3.4 C.4.2.1.6, C.4.2.3.1, C.4.3.1.6, C.4.3.3.1). Thread-safe: the sub-operations of a C-MOVE run on several
/// associations at once and each counts its own.
/// </summary>
internal sealed class RetrieveProgress(int total, TransferSyntax identifierSyntax)
{
    /// <summary>UI values have a 16-bit length in explicit VR (PS3.5 7.1.2): the list stops before it would overflow.</summary>
    private const int MaximumFailedListLength = 65_000;

    private readonly List<string> failedUids = [];
    private readonly Lock gate = new();
    private int completed;
    private int failed;
    private int warning;

    public int Total { get; } = total;

    public int Completed => Volatile.Read(ref completed);

    public int Failed => Volatile.Read(ref failed);

    public int Warning => Volatile.Read(ref warning);

    public int Remaining
    {
        get
        {
            lock (gate)
            {
                return Total - completed - failed - warning;
            }
        }
    }

    /// <summary>Counts a sub-operation by the status of its C-STORE-RSP.</summary>
    public void Record(string sopInstanceUid, DimseStatus status)
    {
        if (status.IsSuccess)
        {
            lock (gate)
            {
                completed++;
            }
        }
        else if (status.Category == DimseStatusCategory.Warning)
        {
            lock (gate)
            {
                warning++;
            }
        }
        else
        {
            Fail(sopInstanceUid);
        }
    }

    public void Fail(string sopInstanceUid)
    {
        lock (gate)
        {
            failed++;
            failedUids.Add(sopInstanceUid);
        }
    }

    public RetrieveStatus Pending()
    {
        lock (gate)
        {
            return new(DimseStatus.Pending, Clamp(Total - completed - failed - warning), Clamp(completed), Clamp(failed), Clamp(warning));
        }
    }

    /// <summary>
    /// The final response once no sub-operation remains (PS3.4 C.4.2.3.1): Success when all completed, Warning B000 when
    /// some failed or had warnings, Failure A702 when every one failed; with failures the identifier carries the
    /// Failed SOP Instance UID List (0008,0058).
    /// </summary>
    public RetrieveStatus Final(string? comment = null)
    {
        DimseStatus status;
        lock (gate)
        {
            status = failed == 0 && warning == 0 ? DimseStatus.Success
                : failed > 0 && completed == 0 && warning == 0 ? UnableToPerformSubOperations
                : DimseStatus.WarningB000;
        }

        return Final(status.WithComment(comment));
    }

    /// <summary>
    /// A final response with the given status (cancel, refusal) and the counts so far. After C-CANCEL the remaining
    /// count is the sub-operations never started (PS3.4 C.4.2.3.1, C.4.3.3.1); otherwise none remain.
    /// </summary>
    public RetrieveStatus Final(DimseStatus status)
    {
        lock (gate)
        {
            var remaining = status.Code == DimseStatus.Cancel.Code ? Total - completed - failed - warning : 0;
            return new(status, Clamp(remaining), Clamp(completed), Clamp(failed), Clamp(warning),
                failedUids.Count == 0 ? (ReadOnlyMemory<byte>?)null : FailedIdentifier());
        }
    }

    /// <summary>Refused: Out of Resources – Unable to perform sub-operations (PS3.4 C.4.2.1.5, C.4.3.1.5).</summary>
    public static DimseStatus UnableToPerformSubOperations { get; } = new(0xA702);

    private ReadOnlyMemory<byte> FailedIdentifier()
    {
        var uids = new List<string>(failedUids.Count);
        var length = 0;
        foreach (var uid in failedUids)
        {
            length += uid.Length + 1;
            if (length > MaximumFailedListLength)
            {
                break;
            }

            uids.Add(uid);
        }

        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.FailedSOPInstanceUIDList, DicomVR.UI, [.. uids]);
        var buffer = new ArrayBufferWriter<byte>(length + 16);
        DicomDatasetWriter.Write(buffer, identifier, identifierSyntax);
        return buffer.WrittenMemory;
    }

    private static ushort Clamp(int count) => (ushort)Math.Min(count, ushort.MaxValue);
}
