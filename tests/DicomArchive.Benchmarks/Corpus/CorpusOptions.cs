namespace DicomArchive.Benchmarks.Corpus;

/// <summary>What <see cref="CorpusGenerator"/> writes. The same options and seed always give the same bytes.</summary>
public sealed record CorpusOptions
{
    /// <summary>Seeds every name, date, UID and pixel value.</summary>
    public int Seed { get; init; } = 20251125;

    /// <summary>Number of 512x512 16-bit CT objects (about 0.5 MB each).</summary>
    public int CtCount { get; init; } = 100;

    /// <summary>Number of 64x64 16-bit MR-like objects (about 10 KB each).</summary>
    public int MrCount { get; init; } = 1000;

    /// <summary>Size of the pixel data of the one multi-frame object; 0 writes none. Rounded down to whole frames.</summary>
    public long MultiFrameBytes { get; init; } = 1L << 30;

    /// <summary>Distinct patients the objects are spread over.</summary>
    public int Patients { get; init; } = 10;

    /// <summary>Studies per patient.</summary>
    public int StudiesPerPatient { get; init; } = 2;

    /// <summary>
    /// Patient IDs are this and a six-digit number from 1. Corpora sent to one archive need distinct prefixes: a
    /// patient ID arriving with other demographics is logged as a warning by the archive, at every instance.
    /// </summary>
    public string PatientIdPrefix { get; init; } = "PID";

    /// <summary>Series of each modality per study.</summary>
    public int SeriesPerStudy { get; init; } = 3;
}
