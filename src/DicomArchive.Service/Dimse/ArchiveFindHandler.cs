using System.Runtime.CompilerServices;
using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Service.Configuration;
using DicomArchive.Service.Hosting;
using DicomArchive.Storage;
using DicomArchive.Storage.Query;
using Microsoft.Extensions.Options;

namespace DicomArchive.Service.Dimse;

/// <summary>
/// C-FIND SCP (PS3.4 C.4.1) for the Patient Root, Study Root and Patient/Study Only models: the identifier goes to the
/// query engine, each match goes back as a pending response as soon as its row is read, and the association's
/// C-CANCEL cancels the enumeration between two responses.
/// </summary>
internal sealed class ArchiveFindHandler(ArchiveStoreHolder holder, IOptions<ArchiveOptions> options, AuditTrail audit) : IFindHandler
{
    /// <summary>Replaced as a whole (one reference write), so associations on other threads see a consistent pair.</summary>
    private CachedEngine? cached;

    public async IAsyncEnumerable<FindResult> OnFindAsync(DimseRequest request, ReadOnlyMemory<byte> identifier,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sopClass = request.Command.AffectedSopClassUid ?? string.Empty;
        if (!QueryModels.TryFromSopClassUid(sopClass, out var model))
        {
            yield return Final(DimseStatus.SopClassNotSupported, $"{sopClass} is not a query model");
            yield break;
        }

        var syntax = TransferSyntax.Lookup(request.TransferSyntaxUid);
        DicomDataset? query = null;
        string? unreadable = null;
        try
        {
            query = DicomDatasetReader.Read(identifier, syntax);
        }
        catch (DicomContentException ex)
        {
            unreadable = "Identifier: " + (ex.Reason ?? ex.Message);
        }

        if (query is null)
        {
            yield return Final(DimseStatus.CannotUnderstand, unreadable);
            yield break;
        }

        var engine = Engine();

        var matches = 0;
        ushort status = 0;
        string? comment = null;
        var responses = engine.FindEncodedAsync(model, query, syntax, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> match;
                try
                {
                    if (!await responses.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    match = responses.Current;
                }
                catch (QueryException ex)
                {
                    // A bad identifier or the result limit: the final response carries the status and names the key.
                    status = ex.Status;
                    comment = ex.ErrorComment;
                    break;
                }

                matches++;
                yield return new FindResult(DimseStatus.Pending, match);
            }
        }
        finally
        {
            await responses.DisposeAsync().ConfigureAwait(false);
            audit.Query(request.Association, model.ToString(), query.GetString(DicomTag.QueryRetrieveLevel), DescribeKeys(query), matches,
                cancellationToken.IsCancellationRequested ? DimseStatus.Cancel.Code : status);
        }

        if (status != 0)
        {
            yield return Final(new DimseStatus(status), comment);
        }
    }

    /// <summary>The query engine of the open store, made once per store (it parses the default character set).</summary>
    private QueryEngine Engine()
    {
        var store = holder.Store;
        if (cached is { } current && ReferenceEquals(current.Store, store))
        {
            return current.Engine;
        }

        var archive = options.Value;
        var engine = new QueryEngine(store, new QueryOptions
        {
            RetrieveAeTitle = archive.AeTitle,
            MaxResults = archive.MaxQueryResults,
            DefaultCharacterSet = archive.DefaultCharacterSet,
        });
        cached = new CachedEngine(store, engine);
        return engine;
    }

    private static FindResult Final(DimseStatus status, string? comment) => new(status.WithComment(comment), null);

    /// <summary>The matching keys of a query for the audit trail: keyword=value for each non-empty key.</summary>
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

    private sealed record CachedEngine(InstanceStore Store, QueryEngine Engine);
}
