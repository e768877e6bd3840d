using System.Text;
using DicomArchive.Dicom;
using DicomArchive.Storage.Query.Matching;

namespace DicomArchive.Storage.Query;

/// <summary>
/// Compiles a C-FIND (or C-MOVE/C-GET) identifier into a <see cref="QueryPlan"/>. Matching is relational (PS3.4 C.4.1.2.2.2)
/// whatever was negotiated: every key of the query level and the levels above is matched, which answers a hierarchical
/// query identically and answers, rather than refuses, one that leaves out the unique keys of the upper levels.
/// </summary>
internal static class QueryPlanner
{
    public const string RetrieveColumns =
        "i.sop_instance_uid, i.sop_class_uid, i.transfer_syntax_uid, i.file_path, i.file_size, i.content_hash, " +
        "st.study_instance_uid, se.series_instance_uid";

    /// <exception cref="QueryException">The identifier has no or an unknown level, or a malformed value.</exception>
    public static QueryPlan Build(QueryModel model, DicomDataset identifier, QueryOptions options, bool forRetrieve)
    {
        var level = ReadLevel(model, identifier);
        var conditions = new SqlConditionWriter(options.CaseInsensitivePersonNames);
        var where = new List<string>();
        var select = new List<string>();
        var indexColumns = new List<(QueryKey, int)>();
        var fileKeys = new List<DicomElement>();
        var fileMatchKeys = new List<DicomElement>();
        var emptyKeys = new List<DicomElement>();
        var returned = new HashSet<DicomTag>();
        var characterSetRequested = false;

        if (forRetrieve)
        {
            select.Add(RetrieveColumns);
            RequireUniqueKey(identifier, level);
        }

        var combined = CombinedStudyDateTime(identifier, level, conditions);
        if (combined is not null)
        {
            where.Add(combined);
        }

        foreach (var element in identifier)
        {
            var tag = element.Tag;
            // Command and meta groups, group lengths (gggg,0000) and the keys every response carries anyway.
            if (tag.Group is 0x0000 or 0x0002 || tag.Element == 0x0000 || tag == DicomTag.QueryRetrieveLevel || tag == DicomTag.RetrieveAETitle ||
                tag == DicomTag.InstanceAvailability)
            {
                continue;
            }

            if (tag == DicomTag.SpecificCharacterSet)
            {
                characterSetRequested = true;
                continue;
            }

            if (!QueryKeyCatalog.TryGet(tag, out var key))
            {
                if (!forRetrieve)
                {
                    fileKeys.Add(element);
                    if (AttributeMatcher.HasMatchingValue(identifier, element))
                    {
                        fileMatchKeys.Add(element);
                    }
                }

                continue;
            }

            if (key.Level > level)
            {
                // A key below the query level cannot be matched; it is returned empty (PS3.4 C.4.1.2.1).
                emptyKeys.Add(element);
                continue;
            }

            var isCombined = combined is not null && (tag == DicomTag.StudyDate || tag == DicomTag.StudyTime);
            if (!isCombined && element is DicomValueElement)
            {
                var condition = conditions.Condition(key, ReadValue(identifier, key));
                if (condition is not null)
                {
                    where.Add(condition);
                }
            }

            if (!forRetrieve && returned.Add(tag))
            {
                indexColumns.Add((key, select.Count));
                select.Add(key.Column);
            }
        }

        if (!forRetrieve)
        {
            // The unique keys of the query level and the levels above it in the model are always returned.
            for (var l = model == QueryModel.StudyRoot ? QueryLevel.Study : QueryLevel.Patient; l <= level; l++)
            {
                var unique = QueryKeyCatalog.UniqueKey(l);
                if (returned.Add(unique.Tag))
                {
                    indexColumns.Add((unique, select.Count));
                    select.Add(unique.Column);
                }
            }
        }

        var filePathOrdinal = -1;
        if (fileKeys.Count > 0)
        {
            filePathOrdinal = select.Count;
            select.Add(FilePathExpression(level));
        }

        var sql = new StringBuilder("SELECT ").AppendJoin(", ", select).Append(" FROM ").Append(From(forRetrieve ? QueryLevel.Image : level));
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        if (forRetrieve)
        {
            sql.Append(" ORDER BY st.pk, se.series_number, se.pk, i.instance_number, i.pk");
        }
        else if (options.MaxResults > 0 && fileMatchKeys.Count == 0)
        {
            // One more than the limit, to know that the limit was exceeded.
            sql.Append(" LIMIT ").Append(options.MaxResults + 1);
        }

        return new QueryPlan
        {
            Level = level,
            Sql = sql.ToString(),
            Parameters = conditions.Parameters,
            IndexColumns = indexColumns,
            FileKeys = fileKeys,
            FileMatchKeys = fileMatchKeys,
            EmptyKeys = emptyKeys,
            FilePathOrdinal = filePathOrdinal,
            CharacterSetRequested = characterSetRequested,
        };
    }

    private static QueryLevel ReadLevel(QueryModel model, DicomDataset identifier)
    {
        // PS3.4 C.4.1.1.3.1: Query/Retrieve Level is required in every identifier.
        if (!identifier.TryGetString(DicomTag.QueryRetrieveLevel, out var text) || text.Trim().Length == 0)
        {
            throw new QueryException(
                QueryException.IdentifierDoesNotMatchSopClass, "QueryRetrieveLevel (0008,0052) missing", DicomTag.QueryRetrieveLevel);
        }

        if (!QueryLevels.TryParse(text, out var level))
        {
            throw new QueryException(
                QueryException.IdentifierDoesNotMatchSopClass, $"QueryRetrieveLevel (0008,0052) unknown: '{text.Trim()}'",
                DicomTag.QueryRetrieveLevel);
        }

        if (!model.HasLevel(level))
        {
            throw new QueryException(
                QueryException.IdentifierDoesNotMatchSopClass,
                $"QueryRetrieveLevel (0008,0052) {level.ToCode()} is not a level of the {model} model", DicomTag.QueryRetrieveLevel);
        }

        return level;
    }

    private static string ReadValue(DicomDataset identifier, QueryKey key)
    {
        try
        {
            return identifier.GetString(key.Tag);
        }
        catch (DicomContentException ex)
        {
            throw QueryException.BadKey(key.Tag, key.Keyword, "cannot be decoded: " + ex.Message);
        }
    }

    /// <summary>PS3.4 C.2.2.2.5.1: when StudyDate and StudyTime are both ranges, they match as one date-time range.</summary>
    private static string? CombinedStudyDateTime(DicomDataset identifier, QueryLevel level, SqlConditionWriter conditions)
    {
        if (level < QueryLevel.Study || !identifier.TryGetString(DicomTag.StudyDate, out var date) ||
            !identifier.TryGetString(DicomTag.StudyTime, out var time) || !date.Contains('-', StringComparison.Ordinal) ||
            !time.Contains('-', StringComparison.Ordinal) || date.Contains('\\', StringComparison.Ordinal) ||
            time.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        if (!DateTimeRange.TryParse(date, DicomVR.DA, out var dateRange))
        {
            throw QueryException.BadKey(DicomTag.StudyDate, "StudyDate", $"malformed DA range '{date.Trim()}'");
        }

        if (!DateTimeRange.TryParse(time, DicomVR.TM, out var timeRange))
        {
            throw QueryException.BadKey(DicomTag.StudyTime, "StudyTime", $"malformed TM range '{time.Trim()}'");
        }

        return conditions.CombinedDateTime("st.study_date", "st.study_time", dateRange, timeRange);
    }

    private static void RequireUniqueKey(DicomDataset identifier, QueryLevel level)
    {
        // PS3.4 C.4.2.2.1: a retrieve names the entities by the unique key of its level (one or a list).
        var unique = QueryKeyCatalog.UniqueKey(level);
        if (!identifier.TryGetString(unique.Tag, out var value) || Wildcard.IsUniversal(value.Trim()))
        {
            throw new QueryException(
                QueryException.IdentifierDoesNotMatchSopClass,
                $"{unique.Keyword} {unique.Tag} is required to retrieve at the {level.ToCode()} level", unique.Tag);
        }
    }

    private static string From(QueryLevel level) => level switch
    {
        QueryLevel.Patient => "patients p",
        QueryLevel.Study => "studies st JOIN patients p ON p.pk = st.patient_fk",
        QueryLevel.Series => "series se JOIN studies st ON st.pk = se.study_fk JOIN patients p ON p.pk = st.patient_fk",
        _ => "instances i JOIN series se ON se.pk = i.series_fk JOIN studies st ON st.pk = se.study_fk " +
            "JOIN patients p ON p.pk = st.patient_fk",
    };

    /// <summary>The relative path of one instance of the entity, for keys read from the stored file.</summary>
    private static string FilePathExpression(QueryLevel level) => level switch
    {
        QueryLevel.Patient =>
            "(SELECT x.file_path FROM studies s1 JOIN series s2 ON s2.study_fk = s1.pk JOIN instances x ON x.series_fk = s2.pk " +
            "WHERE s1.patient_fk = p.pk LIMIT 1)",
        QueryLevel.Study =>
            "(SELECT x.file_path FROM series s2 JOIN instances x ON x.series_fk = s2.pk WHERE s2.study_fk = st.pk LIMIT 1)",
        QueryLevel.Series => "(SELECT x.file_path FROM instances x WHERE x.series_fk = se.pk LIMIT 1)",
        _ => "i.file_path",
    };
}
