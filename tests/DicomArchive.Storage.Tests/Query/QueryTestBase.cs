using DicomArchive.Dicom;
using DicomArchive.Storage.Query;

namespace DicomArchive.Storage.Tests.Query;

/// <summary>One stored <see cref="QueryCorpus"/> per test class; helpers to run queries on it.</summary>
public abstract class QueryTestBase
{
    internal StoreFixture Fixture { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task CreateCorpus()
    {
        Fixture = await StoreFixture.CreateAsync();
        await QueryCorpus.StoreAllAsync(Fixture);
    }

    [OneTimeTearDown]
    public async Task DeleteCorpus() => await Fixture.DisposeAsync();

    internal QueryEngine Engine(QueryOptions? options = null) =>
        new(Fixture.Store, options ?? new QueryOptions { RetrieveAeTitle = "ARCHIVE" });

    internal async Task<List<DicomDataset>> FindAsync(QueryModel model, DicomDataset identifier, QueryOptions? options = null)
    {
        var results = new List<DicomDataset>();
        await foreach (var response in Engine(options).FindAsync(model, identifier))
        {
            results.Add(response);
        }

        return results;
    }

    /// <summary>The values of one key across the responses, sorted.</summary>
    internal async Task<List<string>> FindValuesAsync(QueryModel model, DicomDataset identifier, DicomTag tag, QueryOptions? options = null)
    {
        var results = await FindAsync(model, identifier, options);
        var values = results.ConvertAll(r => r.GetString(tag));
        values.Sort(StringComparer.Ordinal);
        return values;
    }

    internal static DicomDataset Identifier(string level, params (DicomTag Tag, string Value)[] keys)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, level);
        foreach (var (tag, value) in keys)
        {
            if (value.Length == 0)
            {
                identifier.Add(new DicomValueElement(tag, DicomDictionary.GetVR(tag), ReadOnlyMemory<byte>.Empty));
            }
            else
            {
                identifier.AddOrUpdate(tag, value);
            }
        }

        return identifier;
    }

    /// <summary>A study-level Study Root identifier asking for StudyInstanceUID plus <paramref name="keys"/>.</summary>
    internal static DicomDataset Study(params (DicomTag Tag, string Value)[] keys)
    {
        var identifier = Identifier("STUDY", keys);
        if (!identifier.Contains(DicomTag.StudyInstanceUID))
        {
            identifier.Add(new DicomValueElement(DicomTag.StudyInstanceUID, DicomVR.UI, ReadOnlyMemory<byte>.Empty));
        }

        return identifier;
    }
}
