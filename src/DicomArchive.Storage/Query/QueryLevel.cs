namespace DicomArchive.Storage.Query;

/// <summary>Query/Retrieve Level (0008,0052) values (PS3.4 C.6.1.1.1), top to bottom.</summary>
public enum QueryLevel
{
    Patient = 0,
    Study = 1,
    Series = 2,
    Image = 3,
}

internal static class QueryLevels
{
    public static bool TryParse(string text, out QueryLevel level)
    {
        switch (text.Trim())
        {
            case "PATIENT":
                level = QueryLevel.Patient;
                return true;
            case "STUDY":
                level = QueryLevel.Study;
                return true;
            case "SERIES":
                level = QueryLevel.Series;
                return true;
            case "IMAGE":
                level = QueryLevel.Image;
                return true;
            default:
                level = default;
                return false;
        }
    }

    public static string ToCode(this QueryLevel level) => level switch
    {
        QueryLevel.Patient => "PATIENT",
        QueryLevel.Study => "STUDY",
        QueryLevel.Series => "SERIES",
        _ => "IMAGE",
    };
}
