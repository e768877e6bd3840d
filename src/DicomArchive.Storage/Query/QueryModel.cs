namespace DicomArchive.Storage.Query;

/// <summary>The Query/Retrieve information models (PS3.4 C.6): they fix which levels exist and which is the top.</summary>
public enum QueryModel
{
    /// <summary>Patient Root (1.2.840.10008.5.1.4.1.2.1.x): PATIENT, STUDY, SERIES, IMAGE.</summary>
    PatientRoot,

    /// <summary>Study Root (1.2.840.10008.5.1.4.1.2.2.x): STUDY, SERIES, IMAGE; patient attributes are study attributes.</summary>
    StudyRoot,

    /// <summary>Patient/Study Only (1.2.840.10008.5.1.4.1.2.3.x, retired): PATIENT and STUDY.</summary>
    PatientStudyOnly,
}

/// <summary>Maps the SOP Class UIDs of the Q/R models (FIND, MOVE, GET) to <see cref="QueryModel"/>.</summary>
public static class QueryModels
{
    /// <summary>The model of a C-FIND, C-MOVE or C-GET SOP Class UID (PS3.4 C.6.1.1.x, C.6.2.1.x, C.6.3.1.x).</summary>
    public static bool TryFromSopClassUid(string sopClassUid, out QueryModel model)
    {
        ArgumentNullException.ThrowIfNull(sopClassUid);
        var uid = sopClassUid.TrimEnd('\0', ' ');
        // 1.2.840.10008.5.1.4.1.2.<model>.<1 FIND | 2 MOVE | 3 GET>
        const string prefix = "1.2.840.10008.5.1.4.1.2.";
        model = default;
        if (!uid.StartsWith(prefix, StringComparison.Ordinal) || uid.Length != prefix.Length + 3 || uid[prefix.Length + 1] != '.' ||
            uid[^1] is not ('1' or '2' or '3'))
        {
            return false;
        }

        switch (uid[prefix.Length])
        {
            case '1':
                model = QueryModel.PatientRoot;
                return true;
            case '2':
                model = QueryModel.StudyRoot;
                return true;
            case '3':
                model = QueryModel.PatientStudyOnly;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether a level exists in a model (PS3.4 C.6.1.1.1, C.6.2.1.1, C.6.3.1.1).</summary>
    public static bool HasLevel(this QueryModel model, QueryLevel level) => model switch
    {
        QueryModel.PatientRoot => true,
        QueryModel.StudyRoot => level != QueryLevel.Patient,
        QueryModel.PatientStudyOnly => level is QueryLevel.Patient or QueryLevel.Study,
        _ => false,
    };
}
