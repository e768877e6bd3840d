using static DicomArchive.Dicom.Tests.CharacterSets.CharsetTestBytes;

namespace DicomArchive.Dicom.Tests.CharacterSets;

/// <summary>The examples of PS3.5 Annex H (Japanese), I (Korean), J (Unicode, GB18030) and K (GB2312).</summary>
public sealed class DicomCharacterSetAnnexTests
{
    private const string JapaneseName = "Yamada^Tarou=山田^太郎=やまだ^たろう";
    private const string JapaneseNameWithKatakana = "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう";
    private const string KoreanName = "Hong^Gildong=洪^吉洞=홍^길동";

    // PS3.5 H.3.1 Example H.3-1: value 1 empty (ISO-IR 6), value 2 ISO 2022 IR 87.
    private static readonly byte[] AnnexH1 =
        Of("Yamada^Tarou=\u001b$B;3ED\u001b(B^\u001b$BB@O:\u001b(B=\u001b$B$d$^$@\u001b(B^\u001b$B$?$m$&\u001b(B");

    // PS3.5 H.3.2 Example H.3-2: value 1 ISO 2022 IR 13 (katakana in G1, Romaji in G0), value 2 ISO 2022 IR 87.
    private static readonly byte[] AnnexH2 =
        Of("\u00d4\u00cf\u00c0\u00de^\u00c0\u00db\u00b3=\u001b$B;3ED\u001b(J^\u001b$BB@O:\u001b(J=\u001b$B$d$^$@\u001b(J^\u001b$B$?$m$&\u001b(J");

    // PS3.5 I.2 Example I.2-1: KS X 1001 re-designated into G1 in every component that uses it.
    private static readonly byte[] AnnexI2 =
        Of("Hong^Gildong=\u001b$)C\u00fb\u00f3^\u001b$)C\u00d1\u00ce\u00d4\u00d7=\u001b$)C\u00c8\u00ab^\u001b$)C\u00b1\u00e6\u00b5\u00bf");

    // PS3.5 K.2 Example K.2-1: GB 2312 in G1.
    private static readonly byte[] AnnexK2 = Of("Zhang^XiaoDong=\u001b$)A\u00d5\u00c5^\u001b$)A\u00d0\u00a1\u00b6\u00ab=");

    [Test]
    public void Decode_AnnexH1_JisX0208WithAsciiDelimiters()
    {
        Set("", "ISO 2022 IR 87").Decode(AnnexH1, DicomVR.PN).Should().Be(JapaneseName);
    }

    [Test]
    public void Encode_AnnexH1_ReproducesTheStandardsBytes()
    {
        Set("", "ISO 2022 IR 87").Encode(JapaneseName, DicomVR.PN).Should().Equal(AnnexH1);
    }

    [Test]
    public void Decode_AnnexH2_KatakanaInG1AndRomajiInG0()
    {
        Set("ISO 2022 IR 13", "ISO 2022 IR 87").Decode(AnnexH2, DicomVR.PN).Should().Be(JapaneseNameWithKatakana);
    }

    [Test]
    public void Encode_AnnexH2_ReturnsToRomajiBeforeEachDelimiter()
    {
        Set("ISO 2022 IR 13", "ISO 2022 IR 87").Encode(JapaneseNameWithKatakana, DicomVR.PN).Should().Equal(AnnexH2);
    }

    [Test]
    public void Decode_AnnexI2_KsX1001InG1()
    {
        Set("", "ISO 2022 IR 149").Decode(AnnexI2, DicomVR.PN).Should().Be(KoreanName);
    }

    [Test]
    public void Encode_AnnexI2_RedesignatesG1InEveryComponent()
    {
        Set("", "ISO 2022 IR 149").Encode(KoreanName, DicomVR.PN).Should().Equal(AnnexI2);
    }

    [Test]
    public void Decode_AnnexI3LongText_EachLineStartsInTheInitialSet()
    {
        // PS3.5 I.3: ESC $ ) C at the head of a line; Hangul and ASCII intermix in that line; CR LF resets G1.
        var bytes = Of("\u001b$)CThe first line includes \u00c7\u00d1\u00b1\u00db.\r\n"
            + "\u001b$)CThe second line includes \u00c7\u00d1\u00b1\u00db, too.\r\nThe third line");
        var expected = "The first line includes 한글.\r\nThe second line includes 한글, too.\r\nThe third line";
        var set = Set("", "ISO 2022 IR 149");

        set.Decode(bytes, DicomVR.LT).Should().Be(expected);
        set.Decode(set.Encode(expected, DicomVR.LT), DicomVR.LT).Should().Be(expected);
    }

    [Test]
    public void Decode_AnnexJ_Utf8()
    {
        var bytes = Of("Wang^XiaoDong=\u00e7\u008e\u008b^\u00e5\u00b0\u008f\u00e6\u009d\u00b1=");
        var set = Set("ISO_IR 192");

        set.Decode(bytes, DicomVR.PN).Should().Be("Wang^XiaoDong=王^小東=");
        set.Encode("Wang^XiaoDong=王^小東=", DicomVR.PN).Should().Equal(bytes);
    }

    [Test]
    public void Decode_AnnexJ3_Gb18030()
    {
        // PS3.5 J.3: 王 CDF5, 小 D0A1, 东 B6AB.
        var bytes = Hex("57616e675e5869616f446f6e673d cdf5 5e d0a1 b6ab 3d");
        var set = Set("GB18030");

        set.Decode(bytes, DicomVR.PN).Should().Be("Wang^XiaoDong=王^小东=");
        set.Encode("Wang^XiaoDong=王^小东=", DicomVR.PN).Should().Equal(bytes);
    }

    [Test]
    public void Decode_AnnexK2_Gb2312InG1()
    {
        var set = Set("", "ISO 2022 IR 58");

        set.Decode(AnnexK2, DicomVR.PN).Should().Be("Zhang^XiaoDong=张^小东=");
        set.Encode("Zhang^XiaoDong=张^小东=", DicomVR.PN).Should().Equal(AnnexK2);
    }

    [Test]
    public void Decode_AnnexK3LongText_Gb2312LinesWithoutReturnToAscii()
    {
        var bytes = Hex(
            "31 2e 1B 24 29 41 B5 DA D2 BB D0 D0 CE C4 D7 D6 A1 A3 0D 0A"
            + "32 2e 1B 24 29 41 B5 DA B6 FE D0 D0 CE C4 D7 D6 A1 A3 0D 0A"
            + "33 2e 1B 24 29 41 B5 DA C8 FD D0 D0 CE C4 D7 D6 A1 A3 0D 0A");
        var expected = "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n";
        var set = Set("", "ISO 2022 IR 58");

        set.Decode(bytes, DicomVR.LT).Should().Be(expected);
        set.Encode(expected, DicomVR.LT).Should().Equal(bytes);
    }

    [Test]
    public void Decode_AnnexK3OlderForm_ExplicitReturnToAsciiIsAccepted()
    {
        // PS3.5 2015c K.3 wrote ESC ( B before each CR LF.
        var bytes = Hex("31 2e 1B 24 29 41 B5 DA D2 BB D0 D0 CE C4 D7 D6 A1 A3 1B 28 42 0D 0A");

        Set("", "ISO 2022 IR 58").Decode(bytes, DicomVR.LT).Should().Be("1.第一行文字。\r\n");
    }

    [Test]
    public void TryGetPersonName_AnnexH1ThroughDataset_SplitsTheThreeGroups()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTag.SpecificCharacterSet, "", "ISO 2022 IR 87")
            .AddOrUpdate(DicomTag.PatientName, JapaneseName);

        dataset.TryGetBytes(DicomTag.PatientName, out var raw).Should().BeTrue();
        raw.ToArray().Should().Equal(AnnexH1.Length % 2 == 0 ? AnnexH1 : [.. AnnexH1, (byte)' ']);
        dataset.TryGetPersonName(DicomTag.PatientName, out var name).Should().BeTrue();
        name.Alphabetic.FamilyName.Should().Be("Yamada");
        name.Ideographic.FamilyName.Should().Be("山田");
        name.Ideographic.GivenName.Should().Be("太郎");
        name.Phonetic.FamilyName.Should().Be("やまだ");
        name.Phonetic.GivenName.Should().Be("たろう");
        name.ToString().Should().Be(JapaneseName);
    }
}
