using System.Globalization;

namespace DicomArchive.Dicom.Json;

/// <summary>
/// Maps the text of IS and DS values to JSON numbers (PS3.18 F.2.3, Table F.2.3-1). The grammar of DS is
/// FORTRAN's (PS3.5 6.2: "+", leading zeros, ".5" and "5." are legal), which is wider than JSON's number
/// grammar (RFC 8259 section 6), so the text is rewritten, digit for digit, into JSON form: no precision
/// is lost and no binary floating point is involved.
/// </summary>
internal static class DicomJsonNumber
{
    /// <summary>
    /// Rewrites a DS value (already trimmed of padding) as a JSON number: sign "+" dropped, leading zeros of the
    /// integer part dropped, "0" added before a leading ".", a trailing "." dropped, exponent kept.
    /// Returns false when the text is not a decimal number (PS3.18 F.2.3 then allows a JSON string).
    /// </summary>
    public static bool TryFormatDecimalString(ReadOnlySpan<char> text, out string json)
    {
        json = string.Empty;
        var i = 0;
        var negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
        {
            negative = text[i] == '-';
            i++;
        }

        var intStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var integer = text[intStart..i];
        var fraction = ReadOnlySpan<char>.Empty;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            var fracStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            fraction = text[fracStart..i];
        }

        if (integer.IsEmpty && fraction.IsEmpty)
        {
            return false;
        }

        var exponent = ReadOnlySpan<char>.Empty;
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            var expStart = i;
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }

            var digitsStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == digitsStart)
            {
                return false;
            }

            exponent = text[expStart..i];
        }

        if (i != text.Length)
        {
            return false;
        }

        integer = integer.TrimStart('0');
        var builder = new System.Text.StringBuilder(text.Length + 2);
        if (negative)
        {
            builder.Append('-');
        }

        builder.Append(integer.IsEmpty ? "0" : integer);
        if (!fraction.IsEmpty)
        {
            builder.Append('.').Append(fraction);
        }

        builder.Append(exponent);
        json = builder.ToString();
        return true;
    }

    /// <summary>Parses an IS value (PS3.5 6.2: an optional sign and up to 12 digits); false when it is not one.</summary>
    public static bool TryParseIntegerString(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
