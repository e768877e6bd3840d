namespace DicomArchive.Dicom;

/// <summary>The kind of a registered UID, from the UID Type column of PS3.6 Table A-1.</summary>
public enum DicomUidType
{
    Unknown,
    SopClass,
    TransferSyntax,
    MetaSopClass,
    WellKnownSopInstance,
    CodingScheme,
    ServiceClass,
    ApplicationContextName,
    LdapOid,
    WellKnownFrameOfReference,
    Other,
}

/// <summary>
/// A UID of the standard's registry (PS3.6 Annex A) with its name and type; well-known ones are static
/// fields (generated from the registry) such as <c>DicomUid.CTImageStorage</c>.
/// </summary>
public sealed partial class DicomUid : IEquatable<DicomUid>
{
    public DicomUid(string value, string name, string keyword, DicomUidType type, bool isRetired)
    {
        Value = value;
        Name = name;
        Keyword = keyword;
        Type = type;
        IsRetired = isRetired;
        IsStorageSopClass = type == DicomUidType.SopClass && IsStorageName(name, value);
    }

    /// <summary>The dotted UID string.</summary>
    public string Value { get; }

    /// <summary>The UID name of PS3.6 Table A-1 (empty for an unregistered UID).</summary>
    public string Name { get; }

    /// <summary>The keyword of PS3.6 Table A-1 (empty for an unregistered UID).</summary>
    public string Keyword { get; }

    public DicomUidType Type { get; }

    public bool IsRetired { get; }

    /// <summary>
    /// True for storage SOP classes: the SOP classes a C-STORE SCP accepts (PS3.4 Annex B and the other storage
    /// services: hanging protocols, color palettes, implant templates, media storage directory, retired print storage).
    /// </summary>
    public bool IsStorageSopClass { get; }

    /// <summary>
    /// The registry names every storage SOP class "... Storage", also with " - For Presentation", " - For Processing",
    /// " - Trial" or " SOP Class" after it; the only other SOP classes with "Storage" in their name are the Storage
    /// Commitment ones (PS3.4 Annex J). Two retired rows of the storage arc 1.2.840.10008.5.1.4.1.1 have no name in
    /// the standard ((...1.1.12.77, ...1.1.40)) and count as storage. The arc alone is not enough: it also holds the
    /// Protocol Approval and Inventory query/retrieve SOP classes (...1.1.200.4-6, ...1.1.201.2-6).
    /// </summary>
    private static bool IsStorageName(string name, string value) => name.Length == 0
        ? value.StartsWith("1.2.840.10008.5.1.4.1.1.", StringComparison.Ordinal)
        : name.Contains("Storage", StringComparison.Ordinal) && !name.StartsWith("Storage Commitment", StringComparison.Ordinal);

    /// <summary>Finds a registered UID, or returns false.</summary>
    public static bool TryLookup(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DicomUid? uid)
    {
        return Registry.TryGetValue(value, out uid);
    }

    /// <summary>The registered UID, or an unregistered one carrying just <paramref name="value"/>.</summary>
    public static DicomUid Lookup(string value) =>
        Registry.TryGetValue(value, out var uid) ? uid : new DicomUid(value, string.Empty, string.Empty, DicomUidType.Unknown, false);

    /// <summary>All UIDs of the standard's registry.</summary>
    public static IEnumerable<DicomUid> All => Registry.Values;

    private static Dictionary<string, DicomUid>? registry;

    private static Dictionary<string, DicomUid> Registry => registry ??= BuildRegistry();

    private static Dictionary<string, DicomUid> BuildRegistry()
    {
        var map = new Dictionary<string, DicomUid>(StringComparer.Ordinal);
        foreach (var uid in GeneratedAll())
        {
            map[uid.Value] = uid;
        }

        return map;
    }

    public bool Equals(DicomUid? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is DicomUid other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Name.Length > 0 ? $"{Value} ({Name})" : Value;
}
