using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DicomArchive.Dicom.Dump;

/// <summary>Formats one element value for <see cref="DicomTextDumper"/> and returns its value multiplicity.</summary>
internal static class DicomValueFormatter
{
    public const string NoValue = "(no value available)";

    /// <summary>Appends the printed value of <paramref name="element"/>; returns the number of values (PS3.5 6.4).</summary>
    public static int AppendValue(StringBuilder line, DicomDataset dataset, DicomValueElement element, int maxValues)
    {
        if (element.BulkData is { } bulk)
        {
            AppendNotLoaded(line, bulk);
            return 1;
        }

        var bytes = element.Bytes.Span;
        if (bytes.IsEmpty)
        {
            line.Append(NoValue);
            return 0;
        }

        var vr = element.VR;
        if (DicomVRInfo.IsString(vr))
        {
            return AppendString(line, dataset, element);
        }

        switch (vr)
        {
            case DicomVR.AT:
                return AppendAttributeTags(line, bytes, maxValues);
            case DicomVR.OB or DicomVR.UN:
                AppendHexBytes(line, bytes, maxValues, bytes.Length);
                return 1;
            case DicomVR.OW:
                AppendNumbers(line, bytes, 2, maxValues, static (s, b) => BinaryPrimitives.ReadUInt16LittleEndian(s).ToString("x4", b));
                return 1;
            case DicomVR.OL:
                AppendNumbers(line, bytes, 4, maxValues, static (s, b) => BinaryPrimitives.ReadUInt32LittleEndian(s).ToString("x8", b));
                return 1;
            case DicomVR.OV:
                AppendNumbers(line, bytes, 8, maxValues, static (s, b) => BinaryPrimitives.ReadUInt64LittleEndian(s).ToString("x16", b));
                return 1;
            case DicomVR.OF:
                AppendNumbers(line, bytes, 4, maxValues, static (s, b) => BinaryPrimitives.ReadSingleLittleEndian(s).ToString("R", b));
                return 1;
            case DicomVR.OD:
                AppendNumbers(line, bytes, 8, maxValues, static (s, b) => BinaryPrimitives.ReadDoubleLittleEndian(s).ToString("R", b));
                return 1;
            case DicomVR.US:
                return AppendNumbers(line, bytes, 2, maxValues, static (s, b) => BinaryPrimitives.ReadUInt16LittleEndian(s).ToString(b));
            case DicomVR.SS:
                return AppendNumbers(line, bytes, 2, maxValues, static (s, b) => BinaryPrimitives.ReadInt16LittleEndian(s).ToString(b));
            case DicomVR.UL:
                return AppendNumbers(line, bytes, 4, maxValues, static (s, b) => BinaryPrimitives.ReadUInt32LittleEndian(s).ToString(b));
            case DicomVR.SL:
                return AppendNumbers(line, bytes, 4, maxValues, static (s, b) => BinaryPrimitives.ReadInt32LittleEndian(s).ToString(b));
            case DicomVR.SV:
                return AppendNumbers(line, bytes, 8, maxValues, static (s, b) => BinaryPrimitives.ReadInt64LittleEndian(s).ToString(b));
            case DicomVR.UV:
                return AppendNumbers(line, bytes, 8, maxValues, static (s, b) => BinaryPrimitives.ReadUInt64LittleEndian(s).ToString(b));
            case DicomVR.FL:
                return AppendNumbers(line, bytes, 4, maxValues, static (s, b) => BinaryPrimitives.ReadSingleLittleEndian(s).ToString("R", b));
            case DicomVR.FD:
                return AppendNumbers(line, bytes, 8, maxValues, static (s, b) => BinaryPrimitives.ReadDoubleLittleEndian(s).ToString("R", b));
            default:
                AppendHexBytes(line, bytes, maxValues, bytes.Length);
                return 1;
        }
    }

    /// <summary>A string value in brackets, trailing padding removed; its VM counts the backslash-separated values.</summary>
    private static int AppendString(StringBuilder line, DicomDataset dataset, DicomValueElement element)
    {
        var vr = element.VR;
        var text = dataset.CharacterSet.Decode(element.Bytes.Span, vr).TrimEnd(' ', '\0');
        if (text.Length == 0)
        {
            line.Append(NoValue);
            return 0;
        }

        line.Append('[');
        foreach (var c in text)
        {
            // Control characters other than the text separators of PS3.5 6.1.3 would break the line layout.
            line.Append(c is '\r' or '\n' ? '.' : c);
        }

        line.Append(']');
        if (DicomVRInfo.IsSingleValuedText(vr))
        {
            return 1;
        }

        var vm = 1;
        foreach (var c in text)
        {
            if (c == '\\')
            {
                vm++;
            }
        }

        return vm;
    }

    private static int AppendAttributeTags(StringBuilder line, ReadOnlySpan<byte> bytes, int maxValues)
    {
        var count = bytes.Length / 4;
        for (var i = 0; i < count && i < maxValues; i++)
        {
            if (i > 0)
            {
                line.Append('\\');
            }

            var group = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 4)..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(bytes[((i * 4) + 2)..]);
            line.Append('(').Append(group.ToString("x4", CultureInfo.InvariantCulture)).Append(',')
                .Append(element.ToString("x4", CultureInfo.InvariantCulture)).Append(')');
        }

        if (count > maxValues)
        {
            line.Append("...");
        }

        return count;
    }

    private delegate string NumberFormatter(ReadOnlySpan<byte> value, IFormatProvider provider);

    private static int AppendNumbers(StringBuilder line, ReadOnlySpan<byte> bytes, int size, int maxValues, NumberFormatter format)
    {
        var count = bytes.Length / size;
        for (var i = 0; i < count && i < maxValues; i++)
        {
            if (i > 0)
            {
                line.Append('\\');
            }

            line.Append(format(bytes.Slice(i * size, size), CultureInfo.InvariantCulture));
        }

        if (count > maxValues)
        {
            line.Append("...");
        }

        return count;
    }

    /// <summary>Bytes as two hex digits each, separated by backslash, as dcmdump prints OB.</summary>
    public static void AppendHexBytes(StringBuilder line, ReadOnlySpan<byte> bytes, int maxValues, long length)
    {
        if (length == 0)
        {
            line.Append(NoValue);
            return;
        }

        for (var i = 0; i < bytes.Length && i < maxValues; i++)
        {
            if (i > 0)
            {
                line.Append('\\');
            }

            line.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        if (length > maxValues)
        {
            line.Append("...");
        }
    }

    public static void AppendNotLoaded(StringBuilder line, DicomBulkDataReference bulk) =>
        line.Append(CultureInfo.InvariantCulture, $"(not loaded: {bulk.Length} bytes at offset {bulk.Offset})");
}
