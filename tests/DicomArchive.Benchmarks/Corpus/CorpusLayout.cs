namespace DicomArchive.Benchmarks.Corpus;

/// <summary>A patient of the generated corpus, with the demographics every object of theirs repeats.</summary>
public sealed record CorpusPatient(string Id, string Name, DateOnly BirthDate, string Sex, IReadOnlyList<CorpusStudy> Studies);

/// <summary>A study: its series of each modality.</summary>
public sealed record CorpusStudy(
    string StudyInstanceUid, string StudyId, string AccessionNumber, DateOnly Date, TimeOnly Time, string Description,
    IReadOnlyList<CorpusSeries> CtSeries, IReadOnlyList<CorpusSeries> MrSeries);

/// <summary>A series: one modality, one frame of reference.</summary>
public sealed record CorpusSeries(string SeriesInstanceUid, int Number, string Modality, string Description, string FrameOfReferenceUid);

/// <summary>Where one object of the corpus belongs, handed to the data set builders.</summary>
public sealed record CorpusPlacement(CorpusPatient Patient, CorpusStudy Study, CorpusSeries Series, int InstanceNumber);

/// <summary>The patient / study / series tree of a corpus, drawn from the seed.</summary>
public static class CorpusLayout
{
    private static readonly string[] FamilyNames =
        ["Smith", "Müller", "Garcia", "Rossi", "Dubois", "Nowak", "Jensen", "Silva", "Novak", "Kowalski", "Tanaka", "Okafor"];

    private static readonly string[] GivenNames =
        ["Anna", "Jean", "Maria", "Peter", "Lucía", "Olga", "Ahmed", "Chen", "Sofia", "Lars", "Ines", "Kofi"];

    private static readonly string[] CtStudyDescriptions = ["CT CHEST W CONTRAST", "CT ABDOMEN PELVIS", "CT HEAD WO CONTRAST"];
    private static readonly string[] MrSeriesDescriptions = ["t1_se_tra", "t2_tse_sag", "flair_tra", "dwi_b1000", "t1_mprage"];

    public static IReadOnlyList<CorpusPatient> Create(CorpusOptions options, Random random, CorpusUidGenerator uids)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(uids);
        var patients = new List<CorpusPatient>(options.Patients);
        for (var p = 0; p < Math.Max(1, options.Patients); p++)
        {
            var studies = new List<CorpusStudy>(options.StudiesPerPatient);
            for (var s = 0; s < Math.Max(1, options.StudiesPerPatient); s++)
            {
                var date = new DateOnly(2015, 1, 1).AddDays(random.Next(0, 3650));
                var time = new TimeOnly(7, 0).Add(TimeSpan.FromSeconds(random.Next(0, 12 * 3600)));
                var ct = new List<CorpusSeries>();
                var mr = new List<CorpusSeries>();
                var frame = uids.Next();
                for (var r = 0; r < Math.Max(1, options.SeriesPerStudy); r++)
                {
                    ct.Add(new CorpusSeries(uids.Next(), r + 1, "CT", r == 0 ? "Topogram" : $"Axial {r} mm", frame));
                    mr.Add(new CorpusSeries(uids.Next(), 100 + r + 1, "MR", MrSeriesDescriptions[r % MrSeriesDescriptions.Length], frame));
                }

                studies.Add(new CorpusStudy(
                    uids.Next(), $"S{s + 1}", $"A{random.Next(10_000_000, 99_999_999)}", date, time,
                    CtStudyDescriptions[random.Next(CtStudyDescriptions.Length)], ct, mr));
            }

            var name = $"{FamilyNames[random.Next(FamilyNames.Length)]}^{GivenNames[random.Next(GivenNames.Length)]}";
            var birth = new DateOnly(1930, 1, 1).AddDays(random.Next(0, 365 * 80));
            patients.Add(new CorpusPatient($"{options.PatientIdPrefix}{p + 1:D6}", name, birth, random.Next(2) == 0 ? "F" : "M", studies));
        }

        return patients;
    }

    /// <summary>
    /// Where the <paramref name="index"/>th of <paramref name="count"/> objects of a modality goes: objects fill the
    /// series in order, a contiguous block each, as a modality sends a series at a time.
    /// </summary>
    public static CorpusPlacement Place(IReadOnlyList<CorpusPatient> patients, int index, int count, bool mr)
    {
        ArgumentNullException.ThrowIfNull(patients);
        var seriesTotal = 0;
        foreach (var patient in patients)
        {
            foreach (var study in patient.Studies)
            {
                seriesTotal += study.CtSeries.Count;
            }
        }

        var perSeries = Math.Max(1, (count + seriesTotal - 1) / seriesTotal);
        var target = index / perSeries;
        foreach (var patient in patients)
        {
            foreach (var study in patient.Studies)
            {
                var series = mr ? study.MrSeries : study.CtSeries;
                if (target < series.Count)
                {
                    return new CorpusPlacement(patient, study, series[target], (index % perSeries) + 1);
                }

                target -= series.Count;
            }
        }

        throw new InvalidOperationException("Object index outside the corpus layout.");
    }
}
