using DicomArchive.Dicom;

namespace DicomArchive.Storage.Query.Matching;

/// <summary>
/// A DA, TM or DT query value as a range of DICOM text (PS3.4 C.2.2.2.5): "A" (single value), "A-B", "A-", "-B".
/// Bounds are kept in their DICOM text form, which orders correctly as text; an upper bound given to a coarser precision
/// is extended to the end of that unit (TM "11" = up to 11:59:59.999999, DA is always a whole day).
/// </summary>
internal readonly record struct DateTimeRange(string? Lower, string? Upper)
{
    public bool IsSingle => Lower is not null && Lower == Upper;

    /// <summary>Parses a query value; false when it is not a valid DA/TM/DT value or range.</summary>
    public static bool TryParse(string text, DicomVR vr, out DateTimeRange range)
    {
        range = default;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (vr == DicomVR.DT)
        {
            return TryParseDateTime(text, out range);
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            if (!TryBound(text, vr, upper: false, out var lower) || !TryBound(text, vr, upper: true, out var upperOfSingle))
            {
                return false;
            }

            range = new DateTimeRange(lower, upperOfSingle);
            return true;
        }

        if (text.IndexOf('-', dash + 1) >= 0 || text.Length == 1)
        {
            return false;
        }

        string? from = null;
        string? to = null;
        if (dash > 0 && !TryBound(text[..dash], vr, upper: false, out from))
        {
            return false;
        }

        if (dash < text.Length - 1 && !TryBound(text[(dash + 1)..], vr, upper: true, out to))
        {
            return false;
        }

        range = new DateTimeRange(from, to);
        return true;
    }

    /// <summary>Whether a stored value (DICOM text) lies in the range; an empty stored value never matches a range.</summary>
    public bool Contains(string stored)
    {
        stored = stored.Trim();
        if (stored.Length == 0)
        {
            return false;
        }

        return (Lower is null || string.CompareOrdinal(stored, Lower) >= 0) && (Upper is null || string.CompareOrdinal(stored, Upper) <= 0);
    }

    private static bool TryBound(string text, DicomVR vr, bool upper, out string bound)
    {
        bound = "";
        var value = text.Trim();
        if (vr == DicomVR.DA)
        {
            // PS3.5 6.2 note: the ACR-NEMA form YYYY.MM.DD is still sent by old systems.
            value = value.Replace(".", "", StringComparison.Ordinal);
            if (value.Length != 8 || !AllDigits(value) || !ValidDate(value))
            {
                return false;
            }

            bound = value;
            return true;
        }

        // TM: HH[MM[SS[.F{1,6}]]]; the ACR-NEMA form HH:MM:SS is accepted.
        value = value.Replace(":", "", StringComparison.Ordinal);
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? value : value[..dot];
        var fraction = dot < 0 ? "" : value[(dot + 1)..];
        if (whole.Length is not (2 or 4 or 6) || !AllDigits(whole) || (dot >= 0 && (whole.Length != 6 || fraction.Length is 0 or > 6)) ||
            !AllDigits(fraction) || int.Parse(whole.AsSpan(0, 2), provider: null) > 23 ||
            (whole.Length >= 4 && int.Parse(whole.AsSpan(2, 2), provider: null) > 59) ||
            (whole.Length == 6 && int.Parse(whole.AsSpan(4, 2), provider: null) > 60))
        {
            return false;
        }

        if (!upper)
        {
            bound = value;
            return true;
        }

        bound = whole.Length switch
        {
            2 => whole + "5959.999999",
            4 => whole + "59.999999",
            _ => whole + "." + fraction.PadRight(6, '9'),
        };
        return true;
    }

    private static bool TryParseDateTime(string text, out DateTimeRange range)
    {
        range = default;
        if (IsDateTime(text))
        {
            range = new DateTimeRange(text, DateTimeUpper(text));
            return true;
        }

        // The range dash is the one whose both sides are empty or valid DT values (a DT may carry a -ZZXX offset).
        for (var dash = text.IndexOf('-', StringComparison.Ordinal); dash >= 0; dash = text.IndexOf('-', dash + 1))
        {
            var left = text[..dash];
            var right = text[(dash + 1)..];
            if ((left.Length == 0 || IsDateTime(left)) && (right.Length == 0 || IsDateTime(right)) && (left.Length + right.Length > 0))
            {
                range = new DateTimeRange(left.Length == 0 ? null : left, right.Length == 0 ? null : DateTimeUpper(right));
                return true;
            }
        }

        return false;
    }

    /// <summary>YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&amp;ZZXX] (PS3.5 6.2 DT).</summary>
    private static bool IsDateTime(string text)
    {
        var offset = Math.Max(text.LastIndexOf('+'), text.LastIndexOf('-'));
        var value = offset > 0 ? text[..offset] : text;
        if (offset > 0 && (text.Length - offset != 5 || !AllDigits(text[(offset + 1)..])))
        {
            return false;
        }

        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? value : value[..dot];
        return whole.Length is 4 or 6 or 8 or 10 or 12 or 14 && AllDigits(whole) &&
            (dot < 0 || (whole.Length == 14 && value.Length - dot - 1 is >= 1 and <= 6 && AllDigits(value[(dot + 1)..])));
    }

    private static string DateTimeUpper(string text)
    {
        var offset = Math.Max(text.LastIndexOf('+'), text.LastIndexOf('-'));
        var value = offset > 0 ? text[..offset] : text;
        const string end = "99991231235959.999999";
        return value.Length >= end.Length ? value : value + end[value.Length..];
    }

    private static bool ValidDate(string yyyymmdd)
    {
        var month = int.Parse(yyyymmdd.AsSpan(4, 2), provider: null);
        var day = int.Parse(yyyymmdd.AsSpan(6, 2), provider: null);
        return month is >= 1 and <= 12 && day is >= 1 and <= 31;
    }

    private static bool AllDigits(string text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
