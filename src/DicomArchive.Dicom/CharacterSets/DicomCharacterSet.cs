using System.Text;

namespace DicomArchive.Dicom;

/// <summary>
/// Decodes and encodes the character data of a data set per its Specific Character Set (0008,0005) (PS3.5 6.1,
/// PS3.3 C.12.1.1.2): the single-byte sets ISO_IR 100..166 and 13, their ISO 2022 forms with code extensions
/// (escape sequences, PS3.5 6.1.2.5) including the Japanese, Korean and Chinese multi-byte sets, and UTF-8,
/// GB18030 and GBK. Instances are immutable and thread-safe.
/// </summary>
/// <remarks>
/// Only the VRs of PS3.5 6.1.2.3 (SH, LO, ST, LT, PN, UC, UT) use these sets; every other string VR is in the
/// default repertoire and is decoded as Latin-1 so that no byte is lost. Decoding never throws: invalid byte
/// sequences and unknown escape sequences become U+FFFD. Bytes with the high bit set while no G1 set is designated
/// (the default repertoire, or an ISO 2022 value before its first G1 escape) are read as Latin-1, which is what
/// writers that omit (0008,0005) usually meant. JIS X 0212 (ISO 2022 IR 159) has no .NET encoding: it is read and
/// written with a table generated from a standard mapping (<see cref="JisX0212Table"/>). JIS X 0201 Romaji is read as
/// ASCII (it differs only at 05/12 and 07/14).
/// TIS-620 (ISO_IR 166) is read with code page 874, a superset that also gives meaning to 08/00..09/15.
/// Unknown defined terms do not fail: they are listed in <see cref="UnknownTerms"/> and treated as ISO_IR 100.
/// </remarks>
public sealed class DicomCharacterSet
{
    private readonly DicomCodeElement initialG0;
    private readonly DicomCodeElement? initialG1;
    private readonly DicomCodeElement[] declared;
    private readonly Encoding? wholeValueEncoding;
    private readonly bool latin1Fallback;
    private readonly Encoding? singleByteEncoding;

    private DicomCharacterSet(
        IReadOnlyList<string> terms,
        IReadOnlyList<string> unknownTerms,
        bool isIso2022,
        DicomCodeElement initialG0,
        DicomCodeElement? initialG1,
        DicomCodeElement[] declared,
        Encoding? wholeValueEncoding)
    {
        Terms = terms;
        UnknownTerms = unknownTerms;
        IsIso2022 = isIso2022;
        this.initialG0 = initialG0;
        this.initialG1 = initialG1;
        this.declared = declared;
        this.wholeValueEncoding = wholeValueEncoding;
        latin1Fallback = !isIso2022 && initialG1 is null && wholeValueEncoding is null;

        // Without code extensions an ASCII G0 plus a single-byte G1 is exactly one ISO 8859 part (or TIS-620),
        // so encoding is one call; unencodable characters become '?' as in the general path.
        if (!isIso2022 && wholeValueEncoding is null && initialG0.Kind == DicomCodeElementKind.Ascii)
        {
            singleByteEncoding = initialG1 switch
            {
                null => DicomEncodings.Latin1,
                { Kind: DicomCodeElementKind.SingleByte } g1 => g1.ReplacingEncoding,
                _ => null,
            };
        }
    }

    /// <summary>The default repertoire (ISO IR 6, ASCII) used when (0008,0005) is absent.</summary>
    public static DicomCharacterSet Default { get; } = new([], [], false, DicomCodeElements.Ascii, null, [DicomCodeElements.Ascii], null);

    /// <summary>ISO_IR 192 (UTF-8 Unicode).</summary>
    public static DicomCharacterSet Utf8 { get; } = FromTerms(["ISO_IR 192"]);

    /// <summary>ISO_IR 100 (Latin alphabet No. 1).</summary>
    public static DicomCharacterSet Latin1 { get; } = FromTerms(["ISO_IR 100"]);

    /// <summary>The defined terms of (0008,0005) this set was made from.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Terms that are not defined terms of PS3.3 C.12.1.1.2 (they were handled as ISO_IR 100); empty when all are known.</summary>
    public IReadOnlyList<string> UnknownTerms { get; }

    /// <summary>True when the terms use ISO 2022 code extensions: escape sequences are read and written.</summary>
    public bool IsIso2022 { get; }

    /// <summary>The character set for the values of Specific Character Set (0008,0005). Never throws for unknown terms.</summary>
    public static DicomCharacterSet FromTerms(IReadOnlyList<string> terms)
    {
        TryFromTerms(terms, out var characterSet);
        return characterSet;
    }

    /// <summary>
    /// The character set for the values of (0008,0005); false when a term is unknown, in which case
    /// <paramref name="characterSet"/> is still usable (unknown terms read as ISO_IR 100, see <see cref="UnknownTerms"/>).
    /// </summary>
    public static bool TryFromTerms(IReadOnlyList<string> terms, out DicomCharacterSet characterSet)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0 || (terms.Count == 1 && string.IsNullOrWhiteSpace(terms[0])))
        {
            characterSet = terms.Count == 0 ? Default : new DicomCharacterSet(terms, [], false, DicomCodeElements.Ascii, null, [DicomCodeElements.Ascii], null);
            return true;
        }

        List<string>? unknown = null;
        var definitions = new DicomCharacterSetTerm[terms.Count];
        var anyIso2022 = false;
        for (var i = 0; i < terms.Count; i++)
        {
            if (!DicomCharacterSetTerm.TryFind(terms[i] ?? string.Empty, out definitions[i]))
            {
                (unknown ??= []).Add(terms[i] ?? string.Empty);

                // dcmtk and pydicom warn and carry on; Latin-1 is the most common meaning of a bad term.
                DicomCharacterSetTerm.TryFind("ISO_IR 100", out definitions[i]);
            }

            anyIso2022 |= definitions[i].IsIso2022;
        }

        var first = definitions[0];
        IReadOnlyList<string> unknownTerms = unknown is null ? [] : unknown.ToArray();
        if (first.WholeValueEncoding is not null)
        {
            // UTF-8, GB18030 and GBK allow no code extensions (PS3.3 C.12.1.1.2): further values are ignored.
            characterSet = new DicomCharacterSet(terms, unknownTerms, false, DicomCodeElements.Ascii, null, [], first.WholeValueEncoding);
            return unknown is null;
        }

        // Several values mean code extensions even when value 1 is spelled without them (e.g. "ISO_IR 100\ISO 2022 IR 87").
        var isIso2022 = anyIso2022 || terms.Count > 1;
        var elements = new List<DicomCodeElement>(terms.Count * 2);
        foreach (var definition in definitions)
        {
            AddElement(elements, definition.G0);
            AddElement(elements, definition.G1);
        }

        // ISO 646 is reachable with ESC ( B in every ISO 2022 set (PS3.5 6.1.2.5.1).
        AddElement(elements, DicomCodeElements.Ascii);
        characterSet = new DicomCharacterSet(terms, unknownTerms, isIso2022, first.G0 ?? DicomCodeElements.Ascii, first.G1, [.. elements], null);
        return unknown is null;
    }

    /// <summary>Decodes a value of a VR (character-set rules apply only to the VRs of PS3.5 6.1.2.3). Never throws.</summary>
    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        if (!DicomVRInfo.UsesSpecificCharacterSet(vr))
        {
            return DicomEncodings.Latin1.GetString(bytes);
        }

        if (wholeValueEncoding is not null)
        {
            return wholeValueEncoding.GetString(bytes);
        }

        // Only ISO 2022 sets can switch state, and only with ESC; otherwise one encoding call decodes the value.
        if (!IsIso2022 || !bytes.Contains((byte)0x1B))
        {
            return Iso2022Decoder.DecodeWithoutEscapes(bytes, initialG0, initialG1);
        }

        return Iso2022Decoder.Decode(bytes, initialG0, initialG1, new DicomTextDelimiters(vr));
    }

    /// <summary>Encodes a value of a VR, without padding. Characters the set cannot hold are written as '?'.</summary>
    public byte[] Encode(string text, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!DicomVRInfo.UsesSpecificCharacterSet(vr))
        {
            return DicomEncodings.Latin1.GetBytes(text);
        }

        if ((wholeValueEncoding ?? singleByteEncoding) is { } encoding)
        {
            return encoding.GetBytes(text);
        }

        return Iso2022Encoder.Encode(text, new DicomTextDelimiters(vr), initialG0, initialG1, declared, IsIso2022, latin1Fallback);
    }

    public override string ToString() => Terms.Count == 0 ? "ISO_IR 6 (default)" : string.Join('\\', Terms);

    private static void AddElement(List<DicomCodeElement> elements, DicomCodeElement? element)
    {
        if (element is not null && !elements.Contains(element))
        {
            elements.Add(element);
        }
    }
}
