using System.Text;

namespace DicomArchive.Dicom;

/// <summary>
/// One defined term of Specific Character Set (0008,0005) (PS3.3 C.12.1.1.2): the G0 and G1 sets it designates, or,
/// for the terms that allow no code extensions and are not ISO 2022 structured (ISO_IR 192, GB18030, GBK), the
/// encoding of the whole value.
/// </summary>
internal sealed class DicomCharacterSetTerm
{
    private static readonly Dictionary<string, DicomCharacterSetTerm> ByKey = Build();

    private DicomCharacterSetTerm(string term, bool isIso2022, DicomCodeElement? g0, DicomCodeElement? g1, Encoding? wholeValueEncoding)
    {
        Term = term;
        IsIso2022 = isIso2022;
        G0 = g0;
        G1 = g1;
        WholeValueEncoding = wholeValueEncoding;
    }

    /// <summary>The defined term as the standard spells it.</summary>
    public string Term { get; }

    /// <summary>True for the "ISO 2022 IR n" terms, which allow code extensions.</summary>
    public bool IsIso2022 { get; }

    public DicomCodeElement? G0 { get; }

    public DicomCodeElement? G1 { get; }

    /// <summary>For UTF-8, GB18030 and GBK, the encoding of the whole value; null for the ISO 2022 structured sets.</summary>
    public Encoding? WholeValueEncoding { get; }

    /// <summary>The default repertoire (ISO-IR 6), which an empty or absent value 1 stands for.</summary>
    public static DicomCharacterSetTerm DefaultRepertoire { get; } = new(string.Empty, false, DicomCodeElements.Ascii, null, null);

    /// <summary>
    /// Finds a defined term. Case, spaces, '_' and '-' are ignored so that forms seen in the wild
    /// ("ISO IR 100", "ISO-IR 100", "ISO_IR100", "iso_ir 100") map to the term they mean.
    /// </summary>
    public static bool TryFind(string term, out DicomCharacterSetTerm definition)
    {
        var key = Normalize(term);
        if (key.Length == 0 || key is "ISOIR6")
        {
            definition = DefaultRepertoire;
            return true;
        }

        if (ByKey.TryGetValue(key, out var found))
        {
            definition = found;
            return true;
        }

        definition = DefaultRepertoire;
        return false;
    }

    private static string Normalize(string term)
    {
        Span<char> buffer = stackalloc char[32];
        var n = 0;
        foreach (var c in term)
        {
            if (c is ' ' or '_' or '-' or '\0')
            {
                continue;
            }

            if (n == buffer.Length)
            {
                return term;
            }

            buffer[n++] = char.ToUpperInvariant(c);
        }

        return new string(buffer[..n]);
    }

    private static Dictionary<string, DicomCharacterSetTerm> Build()
    {
        var terms = new Dictionary<string, DicomCharacterSetTerm>(StringComparer.Ordinal);

        void AddSingleByte(string number, DicomCodeElement g0, DicomCodeElement g1)
        {
            // PS3.3 Table C.12-2 (no extensions) and Table C.12-3 (with extensions) designate the same sets.
            terms[Normalize("ISO_IR " + number)] = new("ISO_IR " + number, false, g0, g1, null);
            terms[Normalize("ISO 2022 IR " + number)] = new("ISO 2022 IR " + number, true, g0, g1, null);
        }

        AddSingleByte("100", DicomCodeElements.Ascii, DicomCodeElements.Latin1);
        AddSingleByte("101", DicomCodeElements.Ascii, DicomCodeElements.Latin2);
        AddSingleByte("109", DicomCodeElements.Ascii, DicomCodeElements.Latin3);
        AddSingleByte("110", DicomCodeElements.Ascii, DicomCodeElements.Latin4);
        AddSingleByte("144", DicomCodeElements.Ascii, DicomCodeElements.Cyrillic);
        AddSingleByte("127", DicomCodeElements.Ascii, DicomCodeElements.Arabic);
        AddSingleByte("126", DicomCodeElements.Ascii, DicomCodeElements.Greek);
        AddSingleByte("138", DicomCodeElements.Ascii, DicomCodeElements.Hebrew);
        AddSingleByte("148", DicomCodeElements.Ascii, DicomCodeElements.Latin5);
        AddSingleByte("166", DicomCodeElements.Ascii, DicomCodeElements.Thai);
        AddSingleByte("13", DicomCodeElements.JisX0201Romaji, DicomCodeElements.JisX0201Katakana);

        // PS3.3 Table C.12-3 and C.12-4: sets only reachable with code extensions.
        terms[Normalize("ISO 2022 IR 6")] = new("ISO 2022 IR 6", true, DicomCodeElements.Ascii, null, null);
        terms[Normalize("ISO 2022 IR 87")] = new("ISO 2022 IR 87", true, DicomCodeElements.JisX0208, null, null);
        terms[Normalize("ISO 2022 IR 159")] = new("ISO 2022 IR 159", true, DicomCodeElements.JisX0212, null, null);
        terms[Normalize("ISO 2022 IR 149")] = new("ISO 2022 IR 149", true, null, DicomCodeElements.KsX1001, null);
        terms[Normalize("ISO 2022 IR 58")] = new("ISO 2022 IR 58", true, null, DicomCodeElements.Gb2312, null);

        // PS3.3 Table C.12-5: multi-byte sets without code extensions.
        var utf8 = new DicomCharacterSetTerm("ISO_IR 192", false, null, null, DicomEncodings.Utf8);
        terms[Normalize("ISO_IR 192")] = utf8;
        terms["UTF8"] = utf8;
        terms[Normalize("GB18030")] = new("GB18030", false, null, null, DicomEncodings.Lenient(DicomEncodings.Gb18030));
        terms[Normalize("GBK")] = new("GBK", false, null, null, DicomEncodings.Lenient(DicomEncodings.Gbk));
        return terms;
    }
}
