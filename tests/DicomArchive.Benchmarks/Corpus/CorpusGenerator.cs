using System.Globalization;
using DicomArchive.Dicom;

namespace DicomArchive.Benchmarks.Corpus;

/// <summary>One file of a generated corpus.</summary>
public sealed record CorpusFile(string Path, string Kind, long Length);

/// <summary>
/// Generates a benchmark corpus with our own writer: CT and MR-like objects spread over patients, studies and
/// series, and one large multi-frame object, as Part 10 files in explicit VR little endian. Everything is drawn
/// from <see cref="CorpusOptions.Seed"/>, so two runs with the same options write the same bytes.
/// </summary>
public static class CorpusGenerator
{
    /// <summary>A single CT file in memory (one 512x512 slice), for micro benchmarks.</summary>
    public static DicomFile CreateCtFile(int seed = 1)
    {
        var random = new Random(seed);
        var uids = new CorpusUidGenerator(random);
        var patients = CorpusLayout.Create(new CorpusOptions { Patients = 1, StudiesPerPatient = 1, SeriesPerStudy = 1 }, random, uids);
        var placement = CorpusLayout.Place(patients, 41, 100, mr: false);
        var uid = uids.Next();
        var ds = CtDatasetBuilder.Create(placement, uid, random, uids);
        var meta = DicomFileMetaInformation.Create(CtDatasetBuilder.SopClassUid, uid, TransferSyntax.ExplicitVRLittleEndian);
        return new DicomFile(meta, ds) { TransferSyntax = TransferSyntax.ExplicitVRLittleEndian };
    }

    /// <summary>The encoded bytes of <see cref="CreateCtFile"/>.</summary>
    public static byte[] CreateCtFileBytes(int seed = 1)
    {
        using var stream = new MemoryStream();
        DicomFileWriter.WriteAsync(stream, CreateCtFile(seed)).GetAwaiter().GetResult();
        return stream.ToArray();
    }

    /// <summary>
    /// Writes the corpus under <paramref name="directory"/>: ct/, mr/ and multiframe/, each file named after its
    /// patient, study, series and instance number.
    /// </summary>
    public static async Task<IReadOnlyList<CorpusFile>> GenerateAsync(
        string directory, CorpusOptions options, IProgress<CorpusFile>? progress = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        var uids = new CorpusUidGenerator(random);
        var patients = CorpusLayout.Create(options, random, uids);
        var files = new List<CorpusFile>();

        for (var i = 0; i < options.CtCount; i++)
        {
            var placement = CorpusLayout.Place(patients, i, options.CtCount, mr: false);
            var uid = uids.Next();
            var ds = CtDatasetBuilder.Create(placement, uid, random, uids);
            files.Add(await SaveAsync(directory, "ct", placement, CtDatasetBuilder.SopClassUid, uid, ds, progress, ct).ConfigureAwait(false));
        }

        for (var i = 0; i < options.MrCount; i++)
        {
            var placement = CorpusLayout.Place(patients, i, options.MrCount, mr: true);
            var uid = uids.Next();
            var ds = MrDatasetBuilder.Create(placement, uid, random);
            files.Add(await SaveAsync(directory, "mr", placement, MrDatasetBuilder.SopClassUid, uid, ds, progress, ct).ConfigureAwait(false));
        }

        if (options.MultiFrameBytes > 0)
        {
            var placement = CorpusLayout.Place(patients, 0, 1, mr: false);
            var path = Path.Combine(directory, "multiframe", "multiframe.dcm");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await MultiFrameWriter.WriteAsync(path, options.MultiFrameBytes, placement, random, uids, ct).ConfigureAwait(false);
            var file = new CorpusFile(path, "multiframe", new FileInfo(path).Length);
            files.Add(file);
            progress?.Report(file);
        }

        return files;
    }

    private static async Task<CorpusFile> SaveAsync(
        string directory,
        string kind,
        CorpusPlacement placement,
        string sopClassUid,
        string sopInstanceUid,
        DicomDataset ds,
        IProgress<CorpusFile>? progress,
        CancellationToken ct)
    {
        var folder = Path.Combine(
            directory, kind, placement.Patient.Id, placement.Study.StudyId, placement.Series.Number.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, placement.InstanceNumber.ToString("D5", CultureInfo.InvariantCulture) + ".dcm");
        var meta = DicomFileMetaInformation.Create(sopClassUid, sopInstanceUid, TransferSyntax.ExplicitVRLittleEndian);
        var file = new DicomFile(meta, ds) { TransferSyntax = TransferSyntax.ExplicitVRLittleEndian };
        await DicomFileWriter.SaveAsync(path, file, ct: ct).ConfigureAwait(false);
        var result = new CorpusFile(path, kind, new FileInfo(path).Length);
        progress?.Report(result);
        return result;
    }
}
