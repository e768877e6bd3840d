using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DicomArchive.Dicom;

/// <summary>Decoding of value bytes (little-endian, as held by <see cref="DicomValueElement"/>) into .NET values (PS3.5 6.2).</summary>
internal static class DicomValueCodec
{
    /// <summary>Splits a default-repertoire value on backslash and trims the padding of each value.</summary>
    public static string[] SplitDefaultRepertoire(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var parts = text.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i].Trim(' ', '\0');
        }

        return parts.Length == 1 && parts[0].Length == 0 ? [] : parts;
    }

    /// <summary>Removes trailing padding per VR: spaces (and NULs some writers use) for text, NULs for UI (PS3.5 6.2).</summary>
    public static string TrimPadding(string value, DicomVR vr)
    {
        if (vr is DicomVR.UT or DicomVR.ST or DicomVR.LT or DicomVR.UR or DicomVR.UC)
        {
            // Leading spaces are significant in these VRs; only trailing padding goes (PS3.5 Table 6.2-1).
            return value.TrimEnd(' ', '\0');
        }

        return value.Trim(' ', '\0');
    }

    public static bool TryReadBinaryNumber(ReadOnlySpan<byte> bytes, DicomVR vr, int index, out double value)
    {
        var size = DicomVRInfo.FixedValueSize(vr);
        if (vr is DicomVR.OF)
        {
            size = 4;
        }
        else if (vr is DicomVR.OD)
        {
            size = 8;
        }
        else if (vr is DicomVR.OW)
        {
            size = 2;
        }
        else if (vr is DicomVR.OL)
        {
            size = 4;
        }
        else if (vr is DicomVR.OV)
        {
            size = 8;
        }

        value = 0;
        if (size == 0 || index < 0 || (long)(index + 1) * size > bytes.Length)
        {
            return false;
        }

        var slice = bytes.Slice(index * size, size);
        value = vr switch
        {
            DicomVR.US or DicomVR.OW => BinaryPrimitives.ReadUInt16LittleEndian(slice),
            DicomVR.SS => BinaryPrimitives.ReadInt16LittleEndian(slice),
            DicomVR.UL or DicomVR.OL => BinaryPrimitives.ReadUInt32LittleEndian(slice),
            DicomVR.SL => BinaryPrimitives.ReadInt32LittleEndian(slice),
            DicomVR.FL or DicomVR.OF => BinaryPrimitives.ReadSingleLittleEndian(slice),
            DicomVR.FD or DicomVR.OD => BinaryPrimitives.ReadDoubleLittleEndian(slice),
            DicomVR.SV => BinaryPrimitives.ReadInt64LittleEndian(slice),
            DicomVR.UV or DicomVR.OV => BinaryPrimitives.ReadUInt64LittleEndian(slice),
            _ => double.NaN,
        };
        return !double.IsNaN(value) || vr is DicomVR.FL or DicomVR.FD or DicomVR.OF or DicomVR.OD;
    }

    public static bool TryReadInt64(ReadOnlySpan<byte> bytes, DicomVR vr, int index, out long value)
    {
        value = 0;
        var size = DicomVRInfo.FixedValueSize(vr);
        if (size == 0 || vr is DicomVR.FL or DicomVR.FD or DicomVR.AT || index < 0 || (long)(index + 1) * size > bytes.Length)
        {
            return false;
        }

        var slice = bytes.Slice(index * size, size);
        switch (vr)
        {
            case DicomVR.US: value = BinaryPrimitives.ReadUInt16LittleEndian(slice); return true;
            case DicomVR.SS: value = BinaryPrimitives.ReadInt16LittleEndian(slice); return true;
            case DicomVR.UL: value = BinaryPrimitives.ReadUInt32LittleEndian(slice); return true;
            case DicomVR.SL: value = BinaryPrimitives.ReadInt32LittleEndian(slice); return true;
            case DicomVR.SV: value = BinaryPrimitives.ReadInt64LittleEndian(slice); return true;
            case DicomVR.UV:
                var u = BinaryPrimitives.ReadUInt64LittleEndian(slice);
                if (u > long.MaxValue)
                {
                    return false;
                }

                value = (long)u;
                return true;
            default: return false;
        }
    }

    /// <summary>PS3.5 6.2 DA: YYYYMMDD; the ACR-NEMA form YYYY.MM.DD is accepted when reading.</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        text = text.Trim();
        if (text.Length == 10 && text[4] == '.' && text[7] == '.')
        {
            return DateOnly.TryParseExact(text, "yyyy.MM.dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }

        return DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>PS3.5 6.2 TM: HH[MM[SS[.F{1-6}]]]; the ACR-NEMA form HH:MM:SS is accepted when reading.</summary>
    public static bool TryParseTime(ReadOnlySpan<char> text, out TimeOnly time)
    {
        time = default;
        text = text.Trim();
        Span<char> compact = stackalloc char[16];
        var n = 0;
        foreach (var c in text)
        {
            if (c == ':')
            {
                continue;
            }

            if (n == compact.Length)
            {
                return false;
            }

            compact[n++] = c;
        }

        var t = compact[..n];
        if (t.Length < 2 || !TwoDigits(t, 0, out var hh) || hh > 23)
        {
            return false;
        }

        int mm = 0, ss = 0;
        long ticks = 0;
        if (t.Length >= 4 && (!TwoDigits(t, 2, out mm) || mm > 59))
        {
            return false;
        }

        if (t.Length >= 6 && (!TwoDigits(t, 4, out ss) || ss > 60))
        {
            return false;
        }

        if (t.Length == 3 || t.Length == 5)
        {
            return false;
        }

        if (t.Length > 6)
        {
            if (t[6] != '.' || t.Length > 13)
            {
                return false;
            }

            var fraction = t[7..];
            long scale = 1_000_000;
            long micro = 0;
            foreach (var c in fraction)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                scale /= 10;
                micro += (c - '0') * scale;
            }

            ticks = micro * 10;
        }

        // A leap second (60) is legal in TM; TimeOnly has none, so it is held as 59.
        time = new TimeOnly(hh, mm, Math.Min(ss, 59)).Add(TimeSpan.FromTicks(ticks));
        return true;
    }

    /// <summary>PS3.5 6.2 DT: YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&amp;ZZXX].</summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        text = text.Trim();
        var offset = TimeSpan.Zero;
        var hasOffset = false;
        var signAt = text.IndexOfAny('+', '-');
        if (signAt >= 4)
        {
            var zone = text[(signAt + 1)..];
            if (zone.Length != 4 || !TwoDigits(zone, 0, out var zh) || !TwoDigits(zone, 2, out var zm))
            {
                return false;
            }

            offset = new TimeSpan(zh, zm, 0);
            if (text[signAt] == '-')
            {
                offset = -offset;
            }

            hasOffset = true;
            text = text[..signAt];
        }

        if (text.Length < 4 || !int.TryParse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 1)
        {
            return false;
        }

        int month = 1, day = 1;
        if (text.Length >= 6 && (!TwoDigits(text, 4, out month) || month is < 1 or > 12))
        {
            return false;
        }

        if (text.Length >= 8 && (!TwoDigits(text, 6, out day) || day < 1 || day > DateTime.DaysInMonth(year, month)))
        {
            return false;
        }

        if (text.Length is 5 or 7)
        {
            return false;
        }

        var time = TimeOnly.MinValue;
        if (text.Length > 8 && !TryParseTime(text[8..], out time))
        {
            return false;
        }

        _ = hasOffset;
        value = new DateTimeOffset(new DateTime(new DateOnly(year, month, day), time, DateTimeKind.Unspecified), offset);
        return true;
    }

    private static bool TwoDigits(ReadOnlySpan<char> text, int at, out int value)
    {
        value = 0;
        if (text.Length < at + 2 || !char.IsAsciiDigit(text[at]) || !char.IsAsciiDigit(text[at + 1]))
        {
            return false;
        }

        value = ((text[at] - '0') * 10) + (text[at + 1] - '0');
        return true;
    }
}
