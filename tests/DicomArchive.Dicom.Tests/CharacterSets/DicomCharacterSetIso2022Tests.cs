using System.Text;
using static DicomArchive.Dicom.Tests.CharacterSets.CharsetTestBytes;

namespace DicomArchive.Dicom.Tests.CharacterSets;

/// <summary>ISO 2022 corner cases (PS3.5 6.1.2.5) and the never-throw guarantee.</summary>
public sealed class DicomCharacterSetIso2022Tests
{
    private static readonly string[][] AllTermLists =
    [
        [], [""], ["ISO_IR 100"], ["ISO_IR 101"], ["ISO_IR 109"], ["ISO_IR 110"], ["ISO_IR 144"], ["ISO_IR 127"],
        ["ISO_IR 126"], ["ISO_IR 138"], ["ISO_IR 148"], ["ISO_IR 166"], ["ISO_IR 13"], ["ISO_IR 192"], ["GB18030"], ["GBK"],
        ["", "ISO 2022 IR 87"], ["ISO 2022 IR 13", "ISO 2022 IR 87"], ["", "ISO 2022 IR 87", "ISO 2022 IR 159"],
        ["", "ISO 2022 IR 149"], ["", "ISO 2022 IR 58"], ["ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 166"],
        ["ISO 2022 IR 87"], ["ISO 2022 IR 149"],
    ];

    [Test]
    public void Decode_DelimiterByteInsideJisX0208Character_IsPartOfTheCharacter()
    {
        // JIS X 0208 row/cell 3D/5E has '=' and '^' as its bytes; while G0 holds a two-byte set they are not delimiters.
        var expected = DecodeEucJp(0xBD, 0xDE);
        var bytes = Of("\u001b$B=^\u001b(B^A");

        Set("", "ISO 2022 IR 87").Decode(bytes, DicomVR.PN).Should().Be(expected + "^A");
    }

    [Test]
    public void Decode_JisX0208WithoutReturnBeforeEnd_StillDecodes()
    {
        Set("", "ISO 2022 IR 87").Decode(Of("\u001b$B;3ED"), DicomVR.PN).Should().Be("山田");
    }

    [Test]
    public void Decode_OldJisC6226Escape_IsReadAsJisX0208()
    {
        Set("", "ISO 2022 IR 87").Decode(Of("\u001b$@;3ED\u001b(B"), DicomVR.PN).Should().Be("山田");
    }

    [Test]
    public void Decode_UnknownOrTruncatedEscape_GivesReplacementCharacter()
    {
        var set = Set("", "ISO 2022 IR 87");

        set.Decode(Of("a\u001b$)Zb"), DicomVR.LO).Should().Be("a\uFFFDb");
        set.Decode(Of("a\u001b$"), DicomVR.LO).Should().Be("a\uFFFD$");
    }

    [Test]
    public void Decode_ControlCharacterResetsG1_InLongText()
    {
        // PS3.5 6.1.2.5.3: after CR LF the initial set (no G1 here) is active, so the next high bytes are not Hangul.
        var text = Set("", "ISO 2022 IR 149").Decode(Of("\u001b$)C\u00c7\u00d1\r\n\u00c7\u00d1"), DicomVR.LT);

        text.Should().Be("한\r\n\u00c7\u00d1");
    }

    [Test]
    public void Decode_BackslashInLongText_IsNotADelimiter()
    {
        Set("", "ISO 2022 IR 149").Decode(Of("\u001b$)C\u00c7\u00d1\\\u00c7\u00d1"), DicomVR.LT).Should().Be("한\\한");
    }

    [Test]
    public void Encode_MixedJapaneseAndAsciiInOneComponent_SwitchesBothWays()
    {
        var set = Set("", "ISO 2022 IR 87");
        var bytes = set.Encode("Dr 山田 MD", DicomVR.LO);

        bytes.Should().Equal(Of("Dr \u001b$B;3ED\u001b(B MD"));
        set.Decode(bytes, DicomVR.LO).Should().Be("Dr 山田 MD");
    }

    [Test]
    public void Encode_MultiValueLo_ReturnsToAsciiBeforeBackslash()
    {
        var set = Set("", "ISO 2022 IR 87");
        var bytes = set.Encode("山\\田", DicomVR.LO);

        bytes.Should().Equal(Of("\u001b$B;3\u001b(B\\\u001b$BED\u001b(B"));
    }

    [Test]
    public void Encode_ThenDecode_EveryDeclaredSetRoundTrips()
    {
        var set = Set("ISO 2022 IR 100", "ISO 2022 IR 87", "ISO 2022 IR 149", "ISO 2022 IR 58", "ISO 2022 IR 144");
        const string text = "Jérôme^山田=홍길동^Люкceмбypг";

        set.Decode(set.Encode(text, DicomVR.PN), DicomVR.PN).Should().Be(text);
    }

    [Test]
    public void DecodeEncode_AnySetAnyBytes_NeverThrows()
    {
        var random = new Random(20260405);
        var buffer = new byte[64];
        var vrs = new[] { DicomVR.PN, DicomVR.LO, DicomVR.LT, DicomVR.UT, DicomVR.CS };
        foreach (var terms in AllTermLists)
        {
            var set = DicomCharacterSet.FromTerms(terms);
            for (var round = 0; round < 300; round++)
            {
                random.NextBytes(buffer);
                var length = random.Next(buffer.Length + 1);
                for (var i = 0; i < length; i += random.Next(3, 12))
                {
                    buffer[i] = 0x1B;
                }

                var vr = vrs[round % vrs.Length];
                var text = set.Decode(buffer.AsSpan(0, length), vr);
                var act = () => set.Encode(text, vr);
                act.Should().NotThrow();
            }
        }
    }

    private static string DecodeEucJp(params byte[] bytes)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(20932).GetString(bytes);
    }
}
