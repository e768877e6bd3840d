using System.Text;

namespace DicomArchive.Dicom;

/// <summary>
/// The .NET encodings behind the DICOM code elements, each built once with explicit fallbacks: decoding never
/// throws (an invalid byte sequence becomes U+FFFD) and best-fit mapping is off, so an unencodable character
/// yields no bytes (<see cref="DicomCodeElement.TryEncode"/> relies on that to ask "can this set encode it").
/// </summary>
internal static class DicomEncodings
{
    // The ISO 8859 parts, TIS-620, EUC-JP, EUC-KR, GB 2312/GBK and GB18030 live in the code pages provider
    // that ships with the shared framework but must be registered before Encoding.GetEncoding sees them.
    static DicomEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>A code page with U+FFFD decoding fallback and an empty encoding fallback.</summary>
    public static Encoding Strict(int codePage) =>
        Encoding.GetEncoding(codePage, new EncoderReplacementFallback(string.Empty), new DecoderReplacementFallback("\uFFFD"));

    /// <summary>A code page with U+FFFD decoding fallback and '?' for characters it cannot encode.</summary>
    public static Encoding Lenient(int codePage) =>
        Encoding.GetEncoding(codePage, new EncoderReplacementFallback("?"), new DecoderReplacementFallback("\uFFFD"));

    /// <summary>UTF-8 without a byte order mark; invalid sequences decode to U+FFFD, lone surrogates encode as U+FFFD.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Latin-1: every byte maps to the code point of the same value, so any value round-trips.</summary>
    public static Encoding Latin1 { get; } = Encoding.Latin1;

    public const int Iso8859Part1 = 28591;
    public const int Iso8859Part2 = 28592;
    public const int Iso8859Part3 = 28593;
    public const int Iso8859Part4 = 28594;
    public const int Iso8859Part5 = 28595;
    public const int Iso8859Part6 = 28596;
    public const int Iso8859Part7 = 28597;
    public const int Iso8859Part8 = 28598;
    public const int Iso8859Part9 = 28599;
    public const int Tis620 = 874;
    public const int EucJp = 20932;
    public const int EucKr = 51949;
    public const int Gbk = 936;
    public const int Gb18030 = 54936;
}
