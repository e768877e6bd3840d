using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Configuration;
using DicomArchive.Storage;
using DicomArchive.Storage.Query;

namespace DicomArchive.Service.Retrieve;

/// <summary>What a C-MOVE or C-GET identifier names: the stored instances, or the status that refuses the request.</summary>
internal sealed record RetrieveResolution(
    IReadOnlyList<StoredInstance> Instances, DimseStatus? Refusal, string Model, string Level, string Keys, TransferSyntax IdentifierSyntax)
{
    /// <summary>
    /// Reads the identifier in the request's transfer syntax and resolves it with the query engine's rules (PS3.4
    /// C.4.2.2.1, C.4.3.2.1: the unique keys of the levels down to the retrieve level, single values or UID lists).
    /// </summary>
    public static async Task<RetrieveResolution> ResolveAsync(InstanceStore store, ArchiveOptions options, DimseRequest request,
        ReadOnlyMemory<byte> identifier, char service, CancellationToken ct)
    {
        var syntax = TransferSyntax.Lookup(request.TransferSyntaxUid);
        var sopClass = (request.Command.AffectedSopClassUid ?? string.Empty).TrimEnd('\0', ' ');

        // 1.2.840.10008.5.1.4.1.2.<model>.<2 MOVE | 3 GET>
        if (!QueryModels.TryFromSopClassUid(sopClass, out var model) || sopClass[^1] != service || model == QueryModel.PatientStudyOnly)
        {
            return Refuse(DimseStatus.SopClassNotSupported.WithComment($"{sopClass} is not a retrieve model here"), syntax);
        }

        DicomDataset query;
        try
        {
            query = DicomDatasetReader.Read(identifier, syntax);
        }
        catch (DicomContentException ex)
        {
            return Refuse(DimseStatus.CannotUnderstand.WithComment("Identifier: " + (ex.Reason ?? ex.Message)), syntax);
        }

        var level = query.GetString(DicomTag.QueryRetrieveLevel);
        var keys = DescribeKeys(query);
        var engine = new QueryEngine(store, new QueryOptions
        {
            RetrieveAeTitle = options.AeTitle,
            MaxResults = 0,
            DefaultCharacterSet = options.DefaultCharacterSet,
        });
        try
        {
            var instances = await engine.ResolveInstancesAsync(model, query, ct).ConfigureAwait(false);
            return new RetrieveResolution(instances, null, model.ToString(), level, keys, syntax);
        }
        catch (QueryException ex)
        {
            return new RetrieveResolution([], new DimseStatus(ex.Status).WithComment(ex.ErrorComment), model.ToString(), level, keys, syntax);
        }
    }

    private static RetrieveResolution Refuse(DimseStatus status, TransferSyntax syntax) => new([], status, "", "", "", syntax);

    /// <summary>The keys of the identifier for the audit trail: keyword=value for each non-empty key.</summary>
    private static string DescribeKeys(DicomDataset query)
    {
        var keys = new List<string>();
        foreach (var element in query)
        {
            if (element is DicomValueElement { Length: > 0 } && element.Tag != DicomTag.QueryRetrieveLevel && element.Tag != DicomTag.SpecificCharacterSet)
            {
                keys.Add($"{DicomDictionary.GetKeyword(element.Tag)}={query.GetString(element.Tag)}");
            }
        }

        return string.Join(' ', keys);
    }
}
