using DicomArchive.Dicom;

namespace DicomArchive.Storage.Query.Matching;

/// <summary>
/// Matches keys the index does not hold against the data set of a stored instance, with the same rules as the SQL
/// (PS3.4 C.2.2.2): universal, single value, wildcard, list, DA/TM/DT range, and sequence matching one level deep
/// (C.2.2.2.6: an item of the query matches when one stored item matches every non-empty key of it; keys nested
/// deeper are return keys only).
/// </summary>
internal static class AttributeMatcher
{
    /// <summary>Whether a query element asks for matching (not universal), i.e. has a value or an item with values.</summary>
    public static bool HasMatchingValue(DicomDataset identifier, DicomElement element)
    {
        if (element is DicomSequence sequence)
        {
            foreach (var item in sequence.Items)
            {
                foreach (var inner in item)
                {
                    if (inner is DicomValueElement && HasMatchingValue(item, inner))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        return DicomVRInfo.IsString(element.VR) && !Wildcard.IsUniversal(identifier.GetString(element.Tag).Trim());
    }

    /// <summary>Whether a stored data set satisfies one query element.</summary>
    /// <exception cref="QueryException">A DA/TM/DT value is malformed.</exception>
    public static bool Matches(DicomDataset identifier, DicomElement queryElement, DicomDataset stored, bool caseInsensitivePersonNames)
    {
        if (queryElement is DicomSequence querySequence)
        {
            return MatchesSequence(querySequence, stored.GetSequence(queryElement.Tag), caseInsensitivePersonNames);
        }

        if (!DicomVRInfo.IsString(queryElement.VR))
        {
            return true;
        }

        var query = identifier.GetString(queryElement.Tag).Trim();
        if (Wildcard.IsUniversal(query))
        {
            return true;
        }

        string[] storedValues;
        try
        {
            storedValues = stored.GetStrings(queryElement.Tag);
        }
        catch (DicomContentException)
        {
            return false;
        }

        var vr = queryElement.VR;
        var queryValues = DicomVRInfo.IsSingleValuedText(vr) ? [query] : query.Split('\\');
        foreach (var queryValue in queryValues)
        {
            var q = queryValue.Trim();
            if (vr is DicomVR.DA or DicomVR.TM or DicomVR.DT)
            {
                if (!DateTimeRange.TryParse(q, vr, out var range))
                {
                    throw QueryException.BadKey(queryElement.Tag, DicomDictionary.GetKeyword(queryElement.Tag), "malformed date/time or range");
                }

                foreach (var s in storedValues)
                {
                    if (range.Contains(s))
                    {
                        return true;
                    }
                }

                continue;
            }

            var fold = vr == DicomVR.PN && caseInsensitivePersonNames;
            if (fold)
            {
                q = q.ToUpperInvariant();
            }

            var wildcard = QueryKey.AllowsWildcards(vr) && Wildcard.HasWildcard(q);
            foreach (var s in storedValues)
            {
                var value = fold ? s.Trim().ToUpperInvariant() : s.Trim();
                if (wildcard ? Wildcard.Matches(q, value) : string.Equals(q, value, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool MatchesSequence(DicomSequence query, DicomSequence? stored, bool caseInsensitivePersonNames)
    {
        foreach (var queryItem in query.Items)
        {
            var any = false;
            foreach (var element in queryItem)
            {
                if (element is DicomValueElement && HasMatchingValue(queryItem, element))
                {
                    any = true;
                    break;
                }
            }

            if (!any)
            {
                continue;
            }

            if (stored is null || !AnyItemMatches(queryItem, stored, caseInsensitivePersonNames))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyItemMatches(DicomDataset queryItem, DicomSequence stored, bool caseInsensitivePersonNames)
    {
        foreach (var storedItem in stored.Items)
        {
            var all = true;
            foreach (var element in queryItem)
            {
                // One level (documented): nested sequences inside the item are return keys only.
                if (element is DicomValueElement && !Matches(queryItem, element, storedItem, caseInsensitivePersonNames))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }
}
