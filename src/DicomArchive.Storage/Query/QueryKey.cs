using DicomArchive.Dicom;

namespace DicomArchive.Storage.Query;

/// <summary>How a key the index holds is matched and returned.</summary>
internal enum QueryKeyKind
{
    /// <summary>A text column: single value, wildcard (for the VRs that allow it), list of values (PS3.4 C.2.2.2.1-4, 8).</summary>
    Text,

    /// <summary>A UID column: single value or list of UIDs (PS3.4 C.2.2.2.2).</summary>
    Uid,

    /// <summary>A DA or TM column: single value or range (PS3.4 C.2.2.2.5).</summary>
    DateOrTime,

    /// <summary>An IS value held as an integer column.</summary>
    Integer,

    /// <summary>A person name: raw column for the response, upper-cased column(s) for matching.</summary>
    PersonName,

    /// <summary>ModalitiesInStudy (0008,0061): matches when any series of the study has any of the values.</summary>
    ModalitiesInStudy,

    /// <summary>SOPClassesInStudy (0008,0062): matches when any instance of the study has any of the UIDs.</summary>
    SopClassesInStudy,

    /// <summary>A computed count (Number of ... Related ...): a return key only.</summary>
    Count,
}

/// <summary>A key the index holds: its level, how it matches, and the SQL expression that returns it.</summary>
/// <param name="Tag">The attribute.</param>
/// <param name="Keyword">Its keyword, for error comments.</param>
/// <param name="Vr">Its VR (PS3.6).</param>
/// <param name="Level">The level the attribute belongs to (PS3.4 C.6.1.1.2-5).</param>
/// <param name="Kind">How it matches.</param>
/// <param name="Column">The SQL expression returned (and matched, unless <paramref name="NormColumn"/>).</param>
/// <param name="NormColumn">For person names: the upper-cased column matched case-insensitively.</param>
internal sealed record QueryKey(
    DicomTag Tag, string Keyword, DicomVR Vr, QueryLevel Level, QueryKeyKind Kind, string Column, string? NormColumn = null)
{
    /// <summary>The VRs whose values may hold * and ? wildcards (PS3.4 C.2.2.2.4).</summary>
    public static bool AllowsWildcards(DicomVR vr) =>
        vr is DicomVR.AE or DicomVR.CS or DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH or DicomVR.ST or DicomVR.UC
            or DicomVR.UR or DicomVR.UT;
}
