using System.Buffers;

namespace DicomArchive.Dicom;

/// <summary>
/// Encodes text in an ISO 2022 structured character set (PS3.5 6.1.2.5). Each character goes to the set already in
/// G0 or G1 when that set has it, else to the first set of (0008,0005) that has it, whose escape sequence is written
/// first. Before every delimiter and at the end of the value G0 returns to the set of value 1 (PS3.5 6.1.2.5.3);
/// G1 needs no return, a reader resets it at the delimiter (PS3.5 Annex I and K examples re-designate it).
/// A character no declared set has is written as '?'.
/// </summary>
internal static class Iso2022Encoder
{
    public static byte[] Encode(
        string text,
        DicomTextDelimiters delimiters,
        DicomCodeElement initialG0,
        DicomCodeElement? initialG1,
        IReadOnlyList<DicomCodeElement> declared,
        bool useEscapes,
        bool latin1Fallback)
    {
        var output = new ArrayBufferWriter<byte>(text.Length + 16);
        Span<byte> encoded = stackalloc byte[8];
        var g0 = initialG0;
        var g1 = initialG1;
        var index = 0;
        while (index < text.Length)
        {
            var character = NextCharacter(text, index);
            index += character.Length;

            if (character.Length == 1 && character[0] < 0x80)
            {
                // ASCII (delimiters included) always goes through a single-byte G0.
                if (g0.IsMultiByte)
                {
                    var target = initialG0.IsMultiByte ? DicomCodeElements.Ascii : initialG0;
                    Designate(output, target, useEscapes);
                    g0 = target;
                }

                output.Write([(byte)character[0]]);
                if (delimiters.IsDelimiter(character[0]))
                {
                    g0 = initialG0;
                    g1 = initialG1;
                }

                continue;
            }

            var count = g0.TryEncode(character, encoded);
            if (count == 0 && g1 is not null)
            {
                count = g1.TryEncode(character, encoded);
            }

            if (count == 0 && useEscapes)
            {
                foreach (var element in declared)
                {
                    if (element == g0 || element == g1)
                    {
                        continue;
                    }

                    count = element.TryEncode(character, encoded);
                    if (count > 0)
                    {
                        Designate(output, element, useEscapes: true);
                        if (element.IsG1)
                        {
                            g1 = element;
                        }
                        else
                        {
                            g0 = element;
                        }

                        break;
                    }
                }
            }

            if (count > 0)
            {
                output.Write(encoded[..count]);
                continue;
            }

            if (g0.IsMultiByte)
            {
                Designate(output, DicomCodeElements.Ascii, useEscapes);
                g0 = DicomCodeElements.Ascii;
            }

            output.Write([latin1Fallback && character.Length == 1 && character[0] <= 0xFF ? (byte)character[0] : (byte)'?']);
        }

        if (g0 != initialG0)
        {
            Designate(output, initialG0, useEscapes);
        }

        return output.WrittenSpan.ToArray();
    }

    private static ReadOnlySpan<char> NextCharacter(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? text.AsSpan(index, 2)
            : text.AsSpan(index, 1);

    private static void Designate(ArrayBufferWriter<byte> output, DicomCodeElement element, bool useEscapes)
    {
        if (useEscapes)
        {
            output.Write(element.Escape);
        }
    }
}
