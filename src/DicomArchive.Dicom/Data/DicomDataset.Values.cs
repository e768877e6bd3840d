using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DicomArchive.Dicom;

/// <summary>Typed getters: each decodes the held bytes on demand and never throws for a bad or missing value.</summary>
public sealed partial class DicomDataset
{
    /// <summary>
    /// The whole value of a string element decoded with the data set's character set, trailing padding
    /// removed; backslashes between values are kept. False when absent, not loaded, or not a string VR.
    /// </summary>
    public bool TryGetString(DicomTag tag, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (!TryGetValue(tag, out var element))
        {
            return false;
        }

        if (!DicomVRInfo.IsString(element.VR))
        {
            return false;
        }

        value = DicomValueCodec.TrimPadding(CharacterSet.Decode(element.Bytes.Span, element.VR), element.VR);
        return true;
    }

    /// <summary>The string value of an element, or <paramref name="defaultValue"/> when there is none.</summary>
    public string GetString(DicomTag tag, string defaultValue = "") => TryGetString(tag, out var value) ? value : defaultValue;

    /// <summary>
    /// The values of a multi-valued string element (PS3.5 6.4: separated by backslash, except in LT, ST, UT, UR),
    /// each with its padding removed. Empty when absent.
    /// </summary>
    public string[] GetStrings(DicomTag tag)
    {
        if (!TryGetValue(tag, out var element) || !DicomVRInfo.IsString(element.VR) || element.Length == 0)
        {
            return [];
        }

        var text = CharacterSet.Decode(element.Bytes.Span, element.VR);
        if (DicomVRInfo.IsSingleValuedText(element.VR))
        {
            return [DicomValueCodec.TrimPadding(text, element.VR)];
        }

        var parts = text.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = DicomValueCodec.TrimPadding(parts[i], element.VR);
        }

        return parts;
    }

    /// <summary>
    /// The number of values of an element (PS3.5 6.4): strings split on backslash, binary numbers by size.
    /// </summary>
    public int GetValueCount(DicomTag tag)
    {
        if (!TryGetElement(tag, out var element))
        {
            return 0;
        }

        switch (element)
        {
            case DicomSequence sequence:
                return sequence.Items.Count;
            case DicomValueElement value when value.Length == 0:
                return 0;
            case DicomValueElement value when DicomVRInfo.IsString(value.VR):
                return DicomVRInfo.IsSingleValuedText(value.VR) ? 1 : GetStrings(tag).Length;
            case DicomValueElement value when DicomVRInfo.FixedValueSize(value.VR) > 0:
                return (int)(value.Length / DicomVRInfo.FixedValueSize(value.VR));
            default:
                return 1;
        }
    }

    /// <summary>
    /// An integer value: US, SS, UL, SL, SV, UV read as binary; IS parsed as text (PS3.5 6.2).
    /// <paramref name="index"/> selects a value of a multi-valued element.
    /// </summary>
    public bool TryGetInt64(DicomTag tag, out long value, int index = 0)
    {
        value = 0;
        if (!TryGetValue(tag, out var element))
        {
            return false;
        }

        if (element.VR is DicomVR.IS or DicomVR.DS)
        {
            var parts = GetStrings(tag);
            if (index >= parts.Length)
            {
                return false;
            }

            if (long.TryParse(parts[index], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            {
                return true;
            }

            if (element.VR == DicomVR.DS && double.TryParse(parts[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                && Math.Abs(d) < 9.2e18 && d == Math.Floor(d))
            {
                value = (long)d;
                return true;
            }

            return false;
        }

        return DicomValueCodec.TryReadInt64(element.Bytes.Span, element.VR, index, out value);
    }

    /// <summary>An integer value that fits an <see cref="int"/>; see <see cref="TryGetInt64"/>.</summary>
    public bool TryGetInt32(DicomTag tag, out int value, int index = 0)
    {
        value = 0;
        if (!TryGetInt64(tag, out var wide, index) || wide is < int.MinValue or > int.MaxValue)
        {
            return false;
        }

        value = (int)wide;
        return true;
    }

    /// <summary>A number: FL, FD, OF, OD and the integer VRs read as binary; DS and IS parsed as text.</summary>
    public bool TryGetDouble(DicomTag tag, out double value, int index = 0)
    {
        value = 0;
        if (!TryGetValue(tag, out var element))
        {
            return false;
        }

        if (element.VR is DicomVR.DS or DicomVR.IS)
        {
            var parts = GetStrings(tag);
            return index < parts.Length
                && double.TryParse(parts[index], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        return DicomValueCodec.TryReadBinaryNumber(element.Bytes.Span, element.VR, index, out value);
    }

    /// <summary>A DA value (PS3.5 6.2).</summary>
    public bool TryGetDate(DicomTag tag, out DateOnly value, int index = 0)
    {
        value = default;
        var parts = GetStrings(tag);
        return index < parts.Length && DicomValueCodec.TryParseDate(parts[index], out value);
    }

    /// <summary>A TM value (PS3.5 6.2).</summary>
    public bool TryGetTime(DicomTag tag, out TimeOnly value, int index = 0)
    {
        value = default;
        var parts = GetStrings(tag);
        return index < parts.Length && DicomValueCodec.TryParseTime(parts[index], out value);
    }

    /// <summary>A DT value (PS3.5 6.2); without a UTC offset in the value, the offset is zero.</summary>
    public bool TryGetDateTime(DicomTag tag, out DateTimeOffset value, int index = 0)
    {
        value = default;
        var parts = GetStrings(tag);
        return index < parts.Length && DicomValueCodec.TryParseDateTime(parts[index], out value);
    }

    /// <summary>An AT value: the tag it holds (PS3.5 6.2: group then element, each 16-bit).</summary>
    public bool TryGetAttributeTag(DicomTag tag, out DicomTag value, int index = 0)
    {
        value = default;
        if (!TryGetValue(tag, out var element) || element.VR != DicomVR.AT || (index + 1) * 4 > element.Length)
        {
            return false;
        }

        var span = element.Bytes.Span.Slice(index * 4, 4);
        value = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span), BinaryPrimitives.ReadUInt16LittleEndian(span[2..]));
        return true;
    }

    /// <summary>The raw value bytes (little-endian) of a loaded element.</summary>
    public bool TryGetBytes(DicomTag tag, out ReadOnlyMemory<byte> value)
    {
        value = default;
        if (!TryGetValue(tag, out var element))
        {
            return false;
        }

        value = element.Bytes;
        return true;
    }

    private bool TryGetValue(DicomTag tag, [NotNullWhen(true)] out DicomValueElement? element)
    {
        element = TryGetElement(tag, out var e) && e is DicomValueElement { IsLoaded: true } v ? v : null;
        return element is not null;
    }
}
