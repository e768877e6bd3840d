using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DicomArchive.Dicom.Json;

/// <summary>
/// Writes a data set as the DICOM JSON Model of PS3.18 Annex F (F.2): one JSON object per data set, keyed by
/// the eight upper-case hex digits of each tag, each attribute an object with "vr" and at most one of "Value",
/// "InlineBinary" or "BulkDataURI".
/// </summary>
/// <remarks>
/// Choices where the standard leaves room, each documented where it is made:
/// <list type="bullet">
/// <item>IS and DS are JSON numbers (F.2.3); a value that is not a number is written as the JSON string the
/// note of Table F.2.3-1 allows, so nothing is lost or refused.</item>
/// <item>SV and UV are numbers up to 2^53 in magnitude and strings beyond (the note of Table F.2.3-1: a string
/// avoids the loss of precision of IEEE doubles, which most JSON readers use).</item>
/// <item>FL, FD: NaN and infinities have no JSON number form; they are written as the strings "NaN",
/// "Infinity", "-Infinity".</item>
/// <item>Encapsulated pixel data (PS3.5 A.4) is one InlineBinary of its Value Field as encoded: every item
/// (Basic Offset Table first) with its 8-byte item header, without the sequence delimiter, as pydicom does.</item>
/// <item>A value left in its source (<see cref="DicomBulkDataReference"/>) is a "BulkDataURI" (F.2.6) of the form
/// <c>file:///abs/path?offset=N&amp;length=M</c>: the byte range of the value field in that file, in the byte
/// order of the file. A reference without a path cannot be named and is written with "vr" alone.</item>
/// <item>Group lengths (gggg,0000) are not written (F.2.2).</item>
/// </list>
/// </remarks>
public static class DicomJsonWriter
{
    private const long MaxExactDouble = 1L << 53;

    // A writer over a stream buffers everything until flushed; flushing between attributes bounds that buffer.
    private const int FlushThreshold = 1 << 20;

    private static readonly JsonWriterOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions IndentedOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>Writes <paramref name="dataset"/> as one DICOM JSON Model object.</summary>
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        WriteDataset(writer, dataset);
    }

    /// <summary>The DICOM JSON Model of <paramref name="dataset"/> as a string.</summary>
    public static string ToJson(DicomDataset dataset, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, indented ? IndentedOptions : CompactOptions))
        {
            WriteDataset(writer, dataset);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writer options suited to DICOM JSON: non-ASCII text is written as UTF-8, not as \u escapes.</summary>
    public static JsonWriterOptions CreateWriterOptions(bool indented) => indented ? IndentedOptions : CompactOptions;

    private static void WriteDataset(Utf8JsonWriter writer, DicomDataset dataset)
    {
        Span<byte> key = stackalloc byte[8];
        writer.WriteStartObject();
        foreach (var element in dataset)
        {
            // PS3.18 F.2.2: Group Length attributes shall not be included.
            if (element.Tag.IsGroupLength)
            {
                continue;
            }

            element.Tag.Value.TryFormat(key, out _, "X8", CultureInfo.InvariantCulture);
            writer.WritePropertyName(key);
            WriteAttribute(writer, dataset, element);
            FlushIfLarge(writer);
        }

        writer.WriteEndObject();
    }

    private static void WriteAttribute(Utf8JsonWriter writer, DicomDataset dataset, DicomElement element)
    {
        writer.WriteStartObject();
        switch (element)
        {
            case DicomSequence sequence:
                // A UN element that held an implicit VR sequence (PS3.5 6.2.2) is written as the sequence it is.
                writer.WriteString("vr"u8, "SQ"u8);
                if (sequence.Items.Count > 0)
                {
                    writer.WriteStartArray("Value"u8);
                    foreach (var item in sequence.Items)
                    {
                        WriteDataset(writer, item);
                    }

                    writer.WriteEndArray();
                }

                break;

            case DicomFragmentSequence fragments:
                writer.WriteString("vr"u8, DicomVRInfo.Name(fragments.VR));
                WriteFragments(writer, fragments);
                break;

            case DicomValueElement value:
                writer.WriteString("vr"u8, DicomVRInfo.Name(value.VR));
                if (value.BulkData is { } bulk)
                {
                    WriteBulkDataUri(writer, bulk.SourcePath, bulk.Offset, bulk.Length);
                }
                else if (value.Length > 0)
                {
                    WriteValue(writer, dataset, value);
                }

                break;

            default:
                writer.WriteString("vr"u8, DicomVRInfo.Name(element.VR));
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, DicomDataset dataset, DicomValueElement element)
    {
        var bytes = element.Bytes.Span;
        switch (element.VR)
        {
            case DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.UN:
                // PS3.18 F.2.7: the whole Value Field as one base64 string, little endian (the bytes are held so).
                writer.WritePropertyName("InlineBinary"u8);
                WriteBase64InSegments(writer, bytes, isFinal: true);
                return;

            case DicomVR.AT:
                WriteAttributeTags(writer, bytes);
                return;

            case DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.SV or DicomVR.UV or DicomVR.FL or DicomVR.FD:
                WriteBinaryNumbers(writer, element.VR, bytes);
                return;

            case DicomVR.SQ or DicomVR.None:
                return;

            default:
                WriteStrings(writer, dataset, element);
                return;
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, DicomDataset dataset, DicomValueElement element)
    {
        var vr = element.VR;
        var text = dataset.CharacterSet.Decode(element.Bytes.Span, vr);
        if (DicomVRInfo.IsSingleValuedText(vr))
        {
            // PS3.5 6.4: LT, ST, UT and UR hold one value; a backslash in them is text.
            var single = DicomValueCodec.TrimPadding(text, vr);
            if (single.Length > 0)
            {
                writer.WriteStartArray("Value"u8);
                writer.WriteStringValue(single);
                writer.WriteEndArray();
            }

            return;
        }

        var values = text.Split('\\');
        if (values.Length == 1 && DicomValueCodec.TrimPadding(values[0], vr).Length == 0)
        {
            // PS3.18 F.2.5: an attribute with an empty value has no "Value".
            return;
        }

        writer.WriteStartArray("Value"u8);
        foreach (var raw in values)
        {
            var value = DicomValueCodec.TrimPadding(raw, vr);
            if (value.Length == 0)
            {
                // PS3.18 F.2.5: an empty value of a multi-valued attribute is null.
                writer.WriteNullValue();
                continue;
            }

            switch (vr)
            {
                case DicomVR.PN:
                    WritePersonName(writer, value);
                    break;
                case DicomVR.IS when DicomJsonNumber.TryParseIntegerString(value, out var integer):
                    writer.WriteNumberValue(integer);
                    break;
                case DicomVR.DS when DicomJsonNumber.TryFormatDecimalString(value, out var number):
                    writer.WriteRawValue(number, skipInputValidation: true);
                    break;
                default:
                    writer.WriteStringValue(value);
                    break;
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// PS3.18 F.2.2: a PN value is an object with the non-empty component groups (PS3.5 6.2: groups are separated
    /// by "=", in the order alphabetic, ideographic, phonetic).
    /// </summary>
    private static void WritePersonName(Utf8JsonWriter writer, string value)
    {
        writer.WriteStartObject();
        var rest = value.AsSpan();
        for (var group = 0; group < 3; group++)
        {
            var end = rest.IndexOf('=');
            var component = end < 0 || group == 2 ? rest : rest[..end];
            if (!component.IsEmpty)
            {
                writer.WriteString(group switch { 0 => "Alphabetic"u8, 1 => "Ideographic"u8, _ => "Phonetic"u8 }, component);
            }

            if (end < 0)
            {
                break;
            }

            rest = rest[(end + 1)..];
        }

        writer.WriteEndObject();
    }

    /// <summary>PS3.18 Table F.2.3-1: AT is a string of the eight upper-case hex digits of the tag.</summary>
    private static void WriteAttributeTags(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes)
    {
        Span<char> hex = stackalloc char[8];
        writer.WriteStartArray("Value"u8);
        for (var at = 0; at + 4 <= bytes.Length; at += 4)
        {
            var tag = ((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + 2)..]);
            tag.TryFormat(hex, out _, "X8", CultureInfo.InvariantCulture);
            writer.WriteStringValue(hex);
        }

        writer.WriteEndArray();
    }

    private static void WriteBinaryNumbers(Utf8JsonWriter writer, DicomVR vr, ReadOnlySpan<byte> bytes)
    {
        var size = DicomVRInfo.FixedValueSize(vr);
        writer.WriteStartArray("Value"u8);
        for (var at = 0; at + size <= bytes.Length; at += size)
        {
            var slice = bytes.Slice(at, size);
            switch (vr)
            {
                case DicomVR.US: writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(slice)); break;
                case DicomVR.SS: writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(slice)); break;
                case DicomVR.UL: writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(slice)); break;
                case DicomVR.SL: writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(slice)); break;
                case DicomVR.SV: WriteVeryLong(writer, BinaryPrimitives.ReadInt64LittleEndian(slice)); break;
                case DicomVR.UV: WriteVeryLong(writer, BinaryPrimitives.ReadUInt64LittleEndian(slice)); break;
                case DicomVR.FL: WriteFloat(writer, BinaryPrimitives.ReadSingleLittleEndian(slice)); break;
                case DicomVR.FD: WriteDouble(writer, BinaryPrimitives.ReadDoubleLittleEndian(slice)); break;
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteVeryLong(Utf8JsonWriter writer, long value)
    {
        if (value is > -MaxExactDouble and < MaxExactDouble)
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteVeryLong(Utf8JsonWriter writer, ulong value)
    {
        if (value < MaxExactDouble)
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(NonFiniteName(value));
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(NonFiniteName(value));
        }
    }

    private static string NonFiniteName(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    /// <summary>
    /// Encapsulated pixel data (PS3.5 A.4): the Value Field as encoded, items with their headers, the sequence
    /// delimiter left out. Written in base64 segments, so the fragments are never copied into one buffer.
    /// </summary>
    private static void WriteFragments(Utf8JsonWriter writer, DicomFragmentSequence fragments)
    {
        foreach (var fragment in fragments.Fragments)
        {
            if (fragment.BulkData is not null)
            {
                WriteFragmentsBulkDataUri(writer, fragments);
                return;
            }
        }

        writer.WritePropertyName("InlineBinary"u8);
        Span<byte> header = stackalloc byte[8];
        WriteItemHeader(header, fragments.OffsetTable.Length);
        var last = fragments.Fragments.Count == 0;
        writer.WriteBase64StringSegment(header, false);
        writer.WriteBase64StringSegment(fragments.OffsetTable.Span, last);
        for (var i = 0; i < fragments.Fragments.Count; i++)
        {
            var bytes = fragments.Fragments[i].Bytes.Span;
            WriteItemHeader(header, bytes.Length);
            writer.WriteBase64StringSegment(header, false);
            WriteBase64InSegments(writer, bytes, i == fragments.Fragments.Count - 1);
            FlushIfLarge(writer);
        }
    }

    /// <summary>
    /// Base64 of a large value in segments, flushing between them, so a writer over a stream never holds more
    /// than one segment of a multi-gigabyte value (the value bytes themselves are the caller's).
    /// </summary>
    private static void WriteBase64InSegments(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes, bool isFinal)
    {
        // A multiple of 3, so each segment is whole base64 quanta.
        const int SegmentSize = 3 << 18;
        while (bytes.Length > SegmentSize)
        {
            writer.WriteBase64StringSegment(bytes[..SegmentSize], false);
            bytes = bytes[SegmentSize..];
            FlushIfLarge(writer);
        }

        writer.WriteBase64StringSegment(bytes, isFinal);
    }

    private static void FlushIfLarge(Utf8JsonWriter writer)
    {
        if (writer.BytesPending > FlushThreshold)
        {
            writer.Flush();
        }
    }

    /// <summary>
    /// Fragments left in the source: the Value Field is the contiguous range from the Basic Offset Table item
    /// header to the end of the last fragment (PS3.5 A.4: items follow one another without gaps).
    /// </summary>
    private static void WriteFragmentsBulkDataUri(Utf8JsonWriter writer, DicomFragmentSequence fragments)
    {
        var first = fragments.Fragments[0].BulkData;
        var lastFragment = fragments.Fragments[^1];
        var lastEnd = lastFragment.BulkData is { } lastBulk ? lastBulk.Offset + lastBulk.Length : -1;
        if (first is null || lastEnd < 0)
        {
            return;
        }

        var start = first.Offset - 8 - fragments.OffsetTable.Length - 8;
        WriteBulkDataUri(writer, first.SourcePath, start, lastEnd - start);
    }

    private static void WriteItemHeader(Span<byte> header, int length)
    {
        // PS3.5 7.5: item tag (FFFE,E000) then a 32-bit length, little endian.
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 0xE000);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)length);
    }

    private static void WriteBulkDataUri(Utf8JsonWriter writer, string? sourcePath, long offset, long length)
    {
        if (sourcePath is null)
        {
            return;
        }

        writer.WriteString("BulkDataURI"u8, BulkDataUri(sourcePath, offset, length));
    }

    /// <summary>The BulkDataURI (PS3.18 F.2.6) of a byte range of a file: file:///abs/path?offset=N&amp;length=M.</summary>
    public static string BulkDataUri(string path, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(path);
        var uri = new Uri(Path.GetFullPath(path)).AbsoluteUri;
        return string.Create(CultureInfo.InvariantCulture, $"{uri}?offset={offset}&length={length}");
    }
}
