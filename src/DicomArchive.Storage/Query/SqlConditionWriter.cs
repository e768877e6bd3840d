using System.Globalization;
using System.Text;
using DicomArchive.Dicom;
using DicomArchive.Storage.Query.Matching;

namespace DicomArchive.Storage.Query;

/// <summary>
/// Turns one key's query value into a parameterised SQL condition (PS3.4 C.2.2.2). Every value is a parameter; patterns
/// with a literal prefix also get a range on the column (col &gt;= prefix AND col &lt; prefix + U+10FFFF) so SQLite uses
/// the column's index whatever it decides about GLOB.
/// </summary>
internal sealed class SqlConditionWriter(bool caseInsensitivePersonNames)
{
    private readonly List<KeyValuePair<string, object>> parameters = [];

    public IReadOnlyList<KeyValuePair<string, object>> Parameters => parameters;

    /// <summary>The condition for a key, or null when the value is universal.</summary>
    /// <exception cref="QueryException">The value is malformed for the key's VR.</exception>
    public string? Condition(QueryKey key, string value)
    {
        value = DicomVRInfo.IsSingleValuedText(key.Vr) ? value.TrimEnd() : value.Trim();
        if (Wildcard.IsUniversal(value))
        {
            return null;
        }

        var values = DicomVRInfo.IsSingleValuedText(key.Vr) ? [value] : SplitValues(value);
        return key.Kind switch
        {
            QueryKeyKind.Text => Any(values, v => TextCondition(key.Column, v, key.Vr)),
            QueryKeyKind.Uid => InList(key.Column, values),
            QueryKeyKind.DateOrTime => Any(values, v => RangeCondition(key, v)),
            QueryKeyKind.Integer => IntegerCondition(key, values),
            QueryKeyKind.PersonName => Any(values, v => PersonNameCondition(key, v)),
            QueryKeyKind.ModalitiesInStudy => Any(values, v => TextCondition("m.modality", v, DicomVR.CS)) is { } inner
                ? "EXISTS (SELECT 1 FROM series m WHERE m.study_fk = st.pk AND " + inner + ")"
                : null,
            QueryKeyKind.SopClassesInStudy =>
                "EXISTS (SELECT 1 FROM series m JOIN instances mi ON mi.series_fk = m.pk WHERE m.study_fk = st.pk AND " +
                InList("mi.sop_class_uid", values) + ")",
            _ => null, // counts are return keys only
        };
    }

    /// <summary>PS3.4 C.2.2.2.5.1: StudyDate and StudyTime both ranges match as one date-time range.</summary>
    public string CombinedDateTime(string dateColumn, string timeColumn, DateTimeRange date, DateTimeRange time)
    {
        var parts = new List<string> { $"{dateColumn} <> ''" };
        if (date.Lower is not null)
        {
            var d = Add(date.Lower);
            parts.Add($"{dateColumn} >= {d}");
            if (time.Lower is not null)
            {
                parts.Add($"({dateColumn} > {d} OR {timeColumn} >= {Add(time.Lower)})");
            }
        }

        if (date.Upper is not null)
        {
            var d = Add(date.Upper);
            parts.Add($"{dateColumn} <= {d}");
            if (time.Upper is not null)
            {
                parts.Add($"({dateColumn} < {d} OR {timeColumn} <= {Add(time.Upper)})");
            }
        }

        return "(" + string.Join(" AND ", parts) + ")";
    }

    public string Add(object value)
    {
        var name = "@p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add(new(name, value));
        return name;
    }

    private static string[] SplitValues(string value)
    {
        var parts = value.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i].Trim();
        }

        return parts;
    }

    private static string? Any(string[] values, Func<string, string?> condition)
    {
        var parts = new List<string>(values.Length);
        foreach (var v in values)
        {
            if (Wildcard.IsUniversal(v))
            {
                return null; // one universal value makes the whole list universal
            }

            parts.Add(condition(v)!);
        }

        return parts.Count == 1 ? parts[0] : "(" + string.Join(" OR ", parts) + ")";
    }

    private string InList(string column, string[] values)
    {
        if (values.Length == 1)
        {
            return $"{column} = {Add(values[0])}";
        }

        var names = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            names[i] = Add(values[i]);
        }

        return $"{column} IN ({string.Join(", ", names)})";
    }

    private string TextCondition(string column, string value, DicomVR vr)
    {
        if (!QueryKey.AllowsWildcards(vr) || !Wildcard.HasWildcard(value))
        {
            return $"{column} = {Add(value)}";
        }

        return Glob(column, value, "");
    }

    /// <summary>col GLOB pattern [OR col GLOB pattern||suffix], behind the prefix range when the pattern has a literal prefix.</summary>
    private string Glob(string column, string value, string alsoWithSuffix)
    {
        var sb = new StringBuilder("(");
        var prefix = Wildcard.LiteralPrefix(value);
        if (prefix.Length > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{column} >= {Add(prefix)} AND {column} < {Add(prefix + Wildcard.MaxChar)} AND ");
        }

        var glob = Wildcard.ToGlob(value);
        if (alsoWithSuffix.Length == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{column} GLOB {Add(glob)})");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"({column} GLOB {Add(glob)} OR {column} GLOB {Add(glob + alsoWithSuffix)}))");
        }

        return sb.ToString();
    }

    /// <summary>
    /// PS3.4 C.2.2.2.1 / PS3.5 6.2.1.2: a value without '=' matches any component group (alphabetic, ideographic,
    /// phonetic); with '=' it matches the groups as written. Case-insensitive (the default) compares upper-cased text.
    /// </summary>
    private string PersonNameCondition(QueryKey key, string value)
    {
        // PS3.5 6.2.1.1: trailing empty components are not significant (the index holds the short form too).
        value = Index.InstanceRecord.TrimEmptyComponents(value);
        var folded = caseInsensitivePersonNames ? value.ToUpperInvariant() : value;
        var column = caseInsensitivePersonNames ? key.NormColumn! : key.Column;
        // The whole value, or the alphabetic group followed by '=' and the other groups.
        var whole = Glob(column, folded, "=*");
        if (value.Contains('=', StringComparison.Ordinal))
        {
            return whole;
        }

        var groups = new List<string> { whole };
        if (key.Tag == DicomTag.PatientName)
        {
            // Schema v2 holds these groups upper-cased in indexed columns.
            var upper = value.ToUpperInvariant();
            groups.Add(Wildcard.HasWildcard(upper) ? Glob("p.patient_name_ideographic_norm", upper, "")
                : $"p.patient_name_ideographic_norm = {Add(upper)}");
            groups.Add(Wildcard.HasWildcard(upper) ? Glob("p.patient_name_phonetic_norm", upper, "")
                : $"p.patient_name_phonetic_norm = {Add(upper)}");
        }
        else
        {
            // Other names keep only the whole text: a group after '=' (documented: a '*' in the value may span groups).
            var glob = Wildcard.ToGlob(folded);
            groups.Add($"{column} GLOB {Add("*=" + glob)} OR {column} GLOB {Add("*=" + glob + "=*")}");
        }

        return "(" + string.Join(" OR ", groups) + ")";
    }

    private string RangeCondition(QueryKey key, string value)
    {
        if (!DateTimeRange.TryParse(value, key.Vr, out var range))
        {
            throw QueryException.BadKey(key.Tag, key.Keyword, $"malformed {DicomVRInfo.Name(key.Vr)} value or range '{value}'");
        }

        if (range.IsSingle && key.Vr == DicomVR.DA)
        {
            return $"{key.Column} = {Add(range.Lower!)}";
        }

        var parts = new List<string>(3) { $"{key.Column} <> ''" };
        if (range.Lower is not null)
        {
            parts.Add($"{key.Column} >= {Add(range.Lower)}");
        }

        if (range.Upper is not null)
        {
            parts.Add($"{key.Column} <= {Add(range.Upper)}");
        }

        return "(" + string.Join(" AND ", parts) + ")";
    }

    private string IntegerCondition(QueryKey key, string[] values)
    {
        var names = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (!long.TryParse(values[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                throw QueryException.BadKey(key.Tag, key.Keyword, $"not an integer '{values[i]}'");
            }

            names[i] = Add(number);
        }

        return names.Length == 1 ? $"{key.Column} = {names[0]}" : $"{key.Column} IN ({string.Join(", ", names)})";
    }
}
