using System.Globalization;
using System.Text;
using DicomArchive.Dicom;
using Microsoft.Data.Sqlite;

namespace DicomArchive.Storage.Query;

/// <summary>
/// Builds one C-FIND response identifier (PS3.4 C.4.1.1.3.2): every requested key, Query/Retrieve Level, Retrieve AE
/// Title, Instance Availability. Text is encoded UTF-8; Specific Character Set "ISO_IR 192" is added when any value is
/// not ASCII (PS3.5 6.1.2.5.3), else it is omitted (or returned empty, the default repertoire, when it was requested).
/// </summary>
internal sealed class ResponseBuilder(string retrieveAeTitle)
{
    public DicomDataset Build(QueryPlan plan, SqliteDataReader row, DicomDataset? file)
    {
        var response = new DicomDataset { FallbackCharacterSet = DicomCharacterSet.Utf8 };
        var nonAscii = false;
        AddText(response, DicomTag.QueryRetrieveLevel, DicomVR.CS, plan.Level.ToCode(), ref nonAscii);
        AddText(response, DicomTag.RetrieveAETitle, DicomVR.AE, retrieveAeTitle, ref nonAscii);
        // PS3.4 C.4.1.1.3.2: every instance is on line storage.
        AddText(response, DicomTag.InstanceAvailability, DicomVR.CS, "ONLINE", ref nonAscii);

        foreach (var (key, ordinal) in plan.IndexColumns)
        {
            AddText(response, key.Tag, key.Vr, ColumnText(row, ordinal, key), ref nonAscii);
        }

        foreach (var element in plan.EmptyKeys)
        {
            AddEmpty(response, element);
        }

        foreach (var element in plan.FileKeys)
        {
            CopyFromFile(response, element, file, ref nonAscii);
        }

        if (nonAscii)
        {
            response.Add(new DicomValueElement(DicomTag.SpecificCharacterSet, DicomVR.CS, Encoding.ASCII.GetBytes("ISO_IR 192")));
        }
        else if (plan.CharacterSetRequested)
        {
            response.Add(new DicomValueElement(DicomTag.SpecificCharacterSet, DicomVR.CS, ReadOnlyMemory<byte>.Empty));
        }

        return response;
    }

    private static string ColumnText(SqliteDataReader row, int ordinal, QueryKey key)
    {
        if (row.IsDBNull(ordinal))
        {
            return key.Kind == QueryKeyKind.Count ? "0" : "";
        }

        var value = row.GetValue(ordinal);
        var text = value is long number ? number.ToString(CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        // group_concat separates with ',' (no UID holds one); DICOM values with '\' (PS3.5 6.4).
        return key.Kind == QueryKeyKind.SopClassesInStudy ? text.Replace(',', '\\') : text;
    }

    private static void AddText(DicomDataset target, DicomTag tag, DicomVR vr, string value, ref bool nonAscii)
    {
        if (value.Length == 0)
        {
            target.Add(new DicomValueElement(tag, vr, ReadOnlyMemory<byte>.Empty));
            return;
        }

        nonAscii |= !Ascii.IsValid(value);
        target.AddOrUpdate(tag, vr, value);
    }

    private static void AddEmpty(DicomDataset target, DicomElement element)
    {
        if (element is DicomSequence)
        {
            target.Add(new DicomSequence(element.Tag));
        }
        else
        {
            target.Add(new DicomValueElement(element.Tag, element.VR, ReadOnlyMemory<byte>.Empty));
        }
    }

    /// <summary>A requested key the index does not hold, with the stored instance's value (empty when it has none).</summary>
    private static void CopyFromFile(DicomDataset target, DicomElement requested, DicomDataset? file, ref bool nonAscii)
    {
        if (file is null || !file.TryGetElement(requested.Tag, out var stored))
        {
            AddEmpty(target, requested);
            return;
        }

        if (requested is DicomSequence query)
        {
            if (stored is not DicomSequence storedSequence)
            {
                AddEmpty(target, requested);
                return;
            }

            // PS3.4 C.2.2.2.6: an empty sequence (or one empty item) asks for the whole sequence; otherwise each stored
            // item is returned with the keys of the query's item.
            var template = query.Items.Count > 0 && query.Items[0].Count > 0 ? query.Items[0] : null;
            var items = new List<DicomDataset>(storedSequence.Items.Count);
            foreach (var item in storedSequence.Items)
            {
                items.Add(CopyItem(item, template, ref nonAscii));
            }

            target.Add(new DicomSequence(requested.Tag, items));
            return;
        }

        CopyElement(target, file, stored, ref nonAscii);
    }

    private static DicomDataset CopyItem(DicomDataset source, DicomDataset? template, ref bool nonAscii)
    {
        var item = new DicomDataset { FallbackCharacterSet = DicomCharacterSet.Utf8 };
        foreach (var element in template ?? source)
        {
            if (element.Tag == DicomTag.SpecificCharacterSet)
            {
                continue;
            }

            if (!source.TryGetElement(element.Tag, out var stored))
            {
                AddEmpty(item, element);
            }
            else if (stored is DicomSequence nested)
            {
                var nestedTemplate = element is DicomSequence { Items.Count: > 0 } q && q.Items[0].Count > 0 ? q.Items[0] : null;
                var items = new List<DicomDataset>(nested.Items.Count);
                foreach (var nestedItem in nested.Items)
                {
                    items.Add(CopyItem(nestedItem, nestedTemplate, ref nonAscii));
                }

                item.Add(new DicomSequence(element.Tag, items));
            }
            else
            {
                CopyElement(item, source, stored, ref nonAscii);
            }
        }

        return item;
    }

    private static void CopyElement(DicomDataset target, DicomDataset source, DicomElement stored, ref bool nonAscii)
    {
        if (stored is not DicomValueElement value || !value.IsLoaded)
        {
            AddEmpty(target, stored);
            return;
        }

        if (!DicomVRInfo.IsString(stored.VR) || stored.VR == DicomVR.UN)
        {
            target.Add(value);
            return;
        }

        string text;
        try
        {
            // Decoded with the stored file's character set, re-encoded as UTF-8 (or ASCII).
            text = source.GetString(stored.Tag);
        }
        catch (DicomContentException)
        {
            text = "";
        }

        AddText(target, stored.Tag, stored.VR, text, ref nonAscii);
    }
}
