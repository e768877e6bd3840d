using System.Buffers;
using System.Globalization;
using DicomArchive.Dicom;
using DicomArchive.Storage;
using DicomArchive.Storage.Index;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// Issue 6's large index: <c>instances</c> rows (100 per patient: 5 studies of 20 instances in 4 series) written
/// straight into the index with <see cref="IndexBulkLoader"/> (no files: C-FIND reads only the index), studies spread
/// 100 per day so a one-day StudyDate range returns about 100 studies, the same shape as the storage tests' explicit
/// million-instance test. The archive is then started on it (start-up time is reported) and queried.
/// </summary>
public static class LargeIndexQueries
{
    private const int StudiesPerPatient = 5;
    private const int InstancesPerStudy = 20;
    private static readonly DateOnly StartDay = new(2020, 1, 1);
    private static readonly string[] Modalities = ["CT", "MR", "US", "CR", "XA"];

    /// <summary>Builds the index under <paramref name="dataDirectory"/> (the paths <see cref="ArchiveSystem"/> uses) and returns the instances loaded.</summary>
    public static async Task<long> BuildAsync(string dataDirectory, int instances, CancellationToken ct)
    {
        var options = new ArchiveStorageOptions
        {
            StorageRoot = Path.Combine(dataDirectory, "storage"),
            IndexPath = Path.Combine(dataDirectory, "index.sqlite"),
            FsyncPolicy = FsyncPolicy.Never,
            MinimumFreeDiskBytes = 0,
        };
        await using var store = await InstanceStore.OpenAsync(options, null, ct);
        return IndexBulkLoader.Load(store, Rows(Patients(instances)));
    }

    /// <summary>The relative file paths of the rows <see cref="BuildAsync"/> loads, in load order.</summary>
    public static IEnumerable<string> FilePaths(int instances)
    {
        foreach (var row in Rows(Patients(instances)))
        {
            yield return row.FilePath;
        }
    }

    public static int Patients(int instances) => Math.Max(1, instances / (StudiesPerPatient * InstancesPerStudy));

    /// <summary>The four study-level query types, each with as many different values as useful.</summary>
    public static List<(string Type, List<ReadOnlyMemory<byte>> Identifiers, List<string> Values)> Queries(int instances, Func<Action<DicomDataset>, ReadOnlyMemory<byte>> study)
    {
        var patients = Patients(instances);
        var studies = patients * StudiesPerPatient;
        var label = string.Create(CultureInfo.InvariantCulture, $" [{instances:N0}-instance index]");
        var picks = Enumerable.Range(0, 50).Select(i => (int)((long)i * 7919 % patients)).ToList();
        var ids = picks.Select(PatientId).ToList();
        var names = picks.Select(p => $"NAME{p:D5}*").ToList();
        var days = Math.Max(1, studies / 100);
        var dates = Enumerable.Range(0, 50).Select(i => StartDay.AddDays(i * 37 % days).ToString("yyyyMMdd", CultureInfo.InvariantCulture)).Select(d => d + "-" + d).ToList();
        var accessions = Enumerable.Range(0, 50).Select(i => Accession((int)((long)i * 104729 % studies))).ToList();
        return
        [
            ("PatientID (exact)" + label, [.. ids.Select(v => study(k => k.AddOrUpdate(DicomTag.PatientID, v)))], ids),
            ("PatientName (prefix*)" + label, [.. names.Select(v => study(k => k.AddOrUpdate(DicomTag.PatientName, v)))], names),
            ("StudyDate one day (~100 studies)" + label, [.. dates.Select(v => study(k => k.AddOrUpdate(DicomTag.StudyDate, v)))], dates),
            ("AccessionNumber (exact)" + label, [.. accessions.Select(v => study(k => k.AddOrUpdate(DicomTag.AccessionNumber, v)))], accessions),
        ];
    }

    // Not "PID": the ingest-on-a-large-index measure sends the main corpus (PID000001...) into this index, and a
    // patient ID arriving with other demographics draws a warning per instance.
    private static string PatientId(int patient) => "BLK" + patient.ToString("D6", CultureInfo.InvariantCulture);

    private static string Accession(int study) => "ACC" + study.ToString("D8", CultureInfo.InvariantCulture);

    private static IEnumerable<BulkInstanceRow> Rows(int patients)
    {
        const int seriesPerStudy = 4;
        var study = 0;
        for (var patient = 0; patient < patients; patient++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"NAME{patient:D5}^Given{patient % 97}");
            for (var s = 0; s < StudiesPerPatient; s++, study++)
            {
                var studyIndex = (s * patients) + patient; // patients interleaved over days
                var date = StartDay.AddDays(studyIndex / 100).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
                var studyUid = string.Create(CultureInfo.InvariantCulture, $"1.2.826.0.1.3680043.10.1.{study}");
                for (var i = 0; i < InstancesPerStudy; i++)
                {
                    var series = i % seriesPerStudy;
                    yield return new BulkInstanceRow
                    {
                        PatientId = PatientId(patient),
                        PatientName = name,
                        PatientBirthDate = "19600101",
                        PatientSex = (patient & 1) == 0 ? "M" : "F",
                        StudyInstanceUid = studyUid,
                        StudyDate = date,
                        StudyTime = (100000 + (studyIndex % 80000)).ToString(CultureInfo.InvariantCulture),
                        AccessionNumber = Accession(study),
                        StudyDescription = "Study " + s.ToString(CultureInfo.InvariantCulture),
                        SeriesInstanceUid = string.Create(CultureInfo.InvariantCulture, $"{studyUid}.{series}"),
                        Modality = Modalities[(study + series) % Modalities.Length],
                        SeriesNumber = series + 1,
                        SopInstanceUid = string.Create(CultureInfo.InvariantCulture, $"{studyUid}.{series}.{i}"),
                        SopClassUid = Corpus.CtDatasetBuilder.SopClassUid,
                        InstanceNumber = i + 1,
                        FilePath = string.Create(CultureInfo.InvariantCulture, $"{studyUid}/{studyUid}.{series}/{studyUid}.{series}.{i}.dcm"),
                    };
                }
            }
        }
    }
}
