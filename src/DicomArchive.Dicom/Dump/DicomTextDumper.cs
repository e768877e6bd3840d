using System.Globalization;
using System.Text;

namespace DicomArchive.Dicom.Dump;

/// <summary>
/// A human-readable listing of a DICOM file in the layout people know from DCMTK's dcmdump: one line per
/// element, <c>(gggg,eeee) VR value  # length, VM Keyword</c>, items of sequences indented by two spaces,
/// the File Meta Information under "# Dicom-Meta-Information-Header" and the data set under "# Dicom-Data-Set".
/// </summary>
/// <remarks>
/// String values are printed whole in brackets, trailing padding removed (PS3.5 6.2), values separated by
/// backslash as encoded. Binary values print as numbers (hex for OB, OW, OL, OV, UN), abbreviated with "..."
/// after <see cref="DicomTextDumpOptions.MaxBinaryValues"/> values. The length column is the value length in
/// bytes, "u/l" for an undefined length and "?" for a sequence read with an explicit length (the model keeps the
/// items, not the bytes they were encoded in).
/// </remarks>
public static class DicomTextDumper
{
    private const int ValueColumnWidth = 40;

    /// <summary>Writes the listing of a whole file: meta information, then data set.</summary>
    public static void Write(TextWriter writer, DicomFile file, DicomTextDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(file);
        options ??= DicomTextDumpOptions.Default;
        var line = new StringBuilder(128);
        writer.WriteLine();
        if (file.FileMetaInformation.Count > 0)
        {
            writer.WriteLine("# Dicom-File-Format");
            writer.WriteLine();
            writer.WriteLine("# Dicom-Meta-Information-Header");
            writer.WriteLine("# Used TransferSyntax: " + TransferSyntax.ExplicitVRLittleEndian);
            WriteDataset(writer, file.FileMetaInformation, 0, options, line);
            writer.WriteLine();
        }

        writer.WriteLine("# Dicom-Data-Set");
        writer.WriteLine("# Used TransferSyntax: " + file.TransferSyntax);
        WriteDataset(writer, file.Dataset, 0, options, line);
    }

    /// <summary>Writes the elements of a data set, without headings.</summary>
    public static void Write(TextWriter writer, DicomDataset dataset, DicomTextDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        WriteDataset(writer, dataset, 0, options ?? DicomTextDumpOptions.Default, new StringBuilder(128));
    }

    /// <summary>The listing of a whole file as a string.</summary>
    public static string ToText(DicomFile file, DicomTextDumpOptions? options = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, file, options);
        return writer.ToString();
    }

    /// <summary>The listing of a data set as a string.</summary>
    public static string ToText(DicomDataset dataset, DicomTextDumpOptions? options = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, dataset, options);
        return writer.ToString();
    }

    private static void WriteDataset(TextWriter writer, DicomDataset dataset, int depth, DicomTextDumpOptions options, StringBuilder line)
    {
        foreach (var element in dataset)
        {
            switch (element)
            {
                case DicomSequence sequence:
                    WriteSequence(writer, sequence, depth, options, line);
                    break;
                case DicomFragmentSequence fragments:
                    WriteFragments(writer, fragments, depth, options, line);
                    break;
                case DicomValueElement value:
                    line.Clear();
                    var vm = DicomValueFormatter.AppendValue(line, dataset, value, options.MaxBinaryValues);
                    WriteLine(writer, depth, value.Tag, DicomVRInfo.Name(value.VR), line.ToString(), Length(value.Length), vm, Keyword(value.Tag));
                    break;
            }
        }
    }

    private static void WriteSequence(TextWriter writer, DicomSequence sequence, int depth, DicomTextDumpOptions options, StringBuilder line)
    {
        var form = sequence.HadUndefinedLength ? "undefined" : "explicit";
        var description = string.Create(CultureInfo.InvariantCulture, $"(Sequence with {form} length #={sequence.Items.Count})");
        var length = sequence.HadUndefinedLength ? "u/l" : "?";
        // A UN element that held an implicit VR sequence (PS3.5 6.2.2) is shown as the sequence it is.
        WriteLine(writer, depth, sequence.Tag, "SQ", description, length, 1, Keyword(sequence.Tag));
        foreach (var item in sequence.Items)
        {
            var itemDescription = string.Create(CultureInfo.InvariantCulture, $"(Item #={item.Count})");
            WriteLine(writer, depth + 1, DicomTag.Item, "na", itemDescription, "?", 1, "Item");
            WriteDataset(writer, item, depth + 2, options, line);
            WriteLine(writer, depth + 1, DicomTag.ItemDelimitationItem, "na", "(ItemDelimitationItem)", "0", 0, "ItemDelimitationItem");
        }

        WriteLine(writer, depth, DicomTag.SequenceDelimitationItem, "na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
    }

    /// <summary>Encapsulated pixel data (PS3.5 A.4): the Basic Offset Table item, then one "pi" line per fragment.</summary>
    private static void WriteFragments(TextWriter writer, DicomFragmentSequence fragments, int depth, DicomTextDumpOptions options, StringBuilder line)
    {
        var description = string.Create(CultureInfo.InvariantCulture, $"(PixelSequence #={fragments.Fragments.Count + 1})");
        WriteLine(writer, depth, fragments.Tag, DicomVRInfo.Name(fragments.VR), description, "u/l", 1, Keyword(fragments.Tag));
        line.Clear();
        DicomValueFormatter.AppendHexBytes(line, fragments.OffsetTable.Span, options.MaxBinaryValues, fragments.OffsetTable.Length);
        WriteLine(writer, depth + 1, DicomTag.Item, "pi", line.ToString(), Length(fragments.OffsetTable.Length), 1, "Item");
        foreach (var fragment in fragments.Fragments)
        {
            line.Clear();
            if (fragment.BulkData is { } bulk)
            {
                DicomValueFormatter.AppendNotLoaded(line, bulk);
            }
            else
            {
                DicomValueFormatter.AppendHexBytes(line, fragment.Bytes.Span, options.MaxBinaryValues, fragment.Length);
            }

            WriteLine(writer, depth + 1, DicomTag.Item, "pi", line.ToString(), Length(fragment.Length), 1, "Item");
        }

        WriteLine(writer, depth, DicomTag.SequenceDelimitationItem, "na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
    }

    private static void WriteLine(TextWriter writer, int depth, DicomTag tag, string vr, string value, string length, int vm, string keyword)
    {
        Span<char> head = stackalloc char[15];
        head[0] = '(';
        tag.Group.TryFormat(head[1..], out _, "x4", CultureInfo.InvariantCulture);
        head[5] = ',';
        tag.Element.TryFormat(head[6..], out _, "x4", CultureInfo.InvariantCulture);
        head[10] = ')';
        head[11] = ' ';
        head[12] = vr[0];
        head[13] = vr[1];
        head[14] = ' ';
        for (var i = 0; i < depth; i++)
        {
            writer.Write("  ");
        }

        writer.Write(head);
        writer.Write(value);
        for (var pad = value.Length; pad < ValueColumnWidth; pad++)
        {
            writer.Write(' ');
        }

        writer.Write(" # ");
        for (var pad = length.Length; pad < 3; pad++)
        {
            writer.Write(' ');
        }

        writer.Write(length);
        writer.Write(',');
        var multiplicity = vm.ToString(CultureInfo.InvariantCulture);
        if (multiplicity.Length < 2)
        {
            writer.Write(' ');
        }

        writer.Write(multiplicity);
        writer.Write(' ');
        writer.WriteLine(keyword);
    }

    private static string Length(long length) => length.ToString(CultureInfo.InvariantCulture);

    private static string Keyword(DicomTag tag)
    {
        var keyword = DicomDictionary.GetKeyword(tag);
        return keyword.Length > 0 ? keyword : tag.IsPrivate ? "PrivateTag" : "UnknownTag";
    }
}
