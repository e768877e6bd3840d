namespace DicomArchive.Storage.Index;

/// <summary>Everything the index keeps about one stored instance, flattened over its patient, study and series.</summary>
internal sealed record InstanceRecord
{
    public string PatientId { get; init; } = "";
    public string IssuerOfPatientId { get; init; } = "";
    public string PatientName { get; init; } = "";
    public string PatientBirthDate { get; init; } = "";
    public string PatientSex { get; init; } = "";

    public required string StudyInstanceUid { get; init; }
    public string StudyDate { get; init; } = "";
    public string StudyTime { get; init; } = "";
    public string AccessionNumber { get; init; } = "";
    public string StudyId { get; init; } = "";
    public string StudyDescription { get; init; } = "";
    public string ReferringPhysicianName { get; init; } = "";

    public required string SeriesInstanceUid { get; init; }
    public string Modality { get; init; } = "";
    public int? SeriesNumber { get; init; }
    public string SeriesDescription { get; init; } = "";
    public string BodyPartExamined { get; init; } = "";
    public string SeriesDate { get; init; } = "";
    public string SeriesTime { get; init; } = "";

    public required string SopInstanceUid { get; init; }
    public required string SopClassUid { get; init; }
    public int? InstanceNumber { get; init; }

    /// <summary>The Specific Character Set (0008,0005) as found in the data set (empty when absent).</summary>
    public string SpecificCharacterSet { get; init; } = "";

    /// <summary>Relative to the StorageRoot, '/'-separated.</summary>
    public required string FilePath { get; init; }
    public long FileSize { get; init; }
    public required string TransferSyntaxUid { get; init; }

    /// <summary>Content hash of the whole file: "blake3:" + hex, or bare SHA-256 hex in rows from before schema 4 (Files/ContentHash.cs).</summary>
    public required string ContentHash { get; init; }
    public string CallingAe { get; init; } = "";
    public string CalledAe { get; init; } = "";
    public string RemoteAddress { get; init; } = "";
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Person names upper-cased for case-insensitive, accent-preserving matching (PS3.4 C.2.2.2.1).</summary>
    public static string NormalizeName(string name) => TrimEmptyComponents(name).ToUpperInvariant();

    /// <summary>
    /// PS3.5 6.2.1.1: trailing empty components and component groups may be left out, so "Doe^John^^^" is "Doe^John" and
    /// "Doe^John==" is "Doe^John". Matching compares the short forms.
    /// </summary>
    public static string TrimEmptyComponents(string name)
    {
        if (!name.Contains('^', StringComparison.Ordinal) && !name.Contains('=', StringComparison.Ordinal))
        {
            return name;
        }

        var groups = name.Split('=');
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = groups[i].TrimEnd('^', ' ');
        }

        return string.Join('=', groups).TrimEnd('=');
    }

    /// <summary>Component group 0 (alphabetic), 1 (ideographic) or 2 (phonetic) of a person name (PS3.5 6.2.1.2); empty when absent.</summary>
    public static string NameGroup(string name, int group)
    {
        var rest = name.AsSpan();
        for (var i = 0; i < group; i++)
        {
            var separator = rest.IndexOf('=');
            if (separator < 0)
            {
                return "";
            }

            rest = rest[(separator + 1)..];
        }

        var end = rest.IndexOf('=');
        return (end < 0 ? rest : rest[..end]).ToString();
    }
}
