using static DicomArchive.Dicom.Tests.CharacterSets.CharsetTestBytes;

namespace DicomArchive.Dicom.Tests.CharacterSets;

/// <summary>
/// JIS X 0212 (ISO 2022 IR 159, ESC $ ( D, PS3.3 Table C.12-4) through the generated table. Expected characters
/// were checked with CPython's iso2022_jp_1 codec.
/// </summary>
public sealed class DicomCharacterSetJisX0212Tests
{
    // python3 tools/generate-jisx0212.py reports 6,067 mapped code points of the 8,836 in the 94x94 table.
    private const int ExpectedMappedCount = 6067;

    [Test]
    public void Decode_JisX0212Characters_GivesTheirUnicodeCharacters()
    {
        // Row 0x30 cell 0x21 is U+4E02, 0x30/0x22 U+4E04, 0x6D/0x63 (the last kanji) U+9FA5.
        var text = Set("", "ISO 2022 IR 87", "ISO 2022 IR 159").Decode(Of("a\u001b$(D0!0\"mc\u001b(Bb"), DicomVR.LO);

        text.Should().Be("a\u4E02\u4E04\u9FA5b");
    }

    [Test]
    public void Decode_UnmappedOrTruncatedJisX0212Code_GivesReplacementCharacter()
    {
        // Row 0x21 is empty in JIS X 0212; a lone byte at the end of the run is half a character.
        var text = Set("", "ISO 2022 IR 159").Decode(Of("\u001b$(D!!0!0"), DicomVR.LO);

        text.Should().Be("\uFFFD\u4E02\uFFFD");
    }

    [Test]
    public void Encode_PersonNameMixingJisX0208AndJisX0212_DesignatesEachSetAndRoundTrips()
    {
        var set = Set("", "ISO 2022 IR 87", "ISO 2022 IR 159");
        const string name = "Yamada^Tarou=\u5C71\u4E02\u7530^\u4E04\u90CE";

        var bytes = set.Encode(name, DicomVR.PN);

        // PS3.5 6.1.2.5.3: each set is designated where it is first needed, G0 returns to ASCII before every delimiter
        // and at the end of the value. 山 = 3B/33, 田 = 45/44, 郎 = 4F/3A in JIS X 0208; 丂 = 30/21, 丄 = 30/22 in JIS X 0212.
        bytes.Should().Equal(Of(
            "Yamada^Tarou=\u001b$B;3\u001b$(D0!\u001b$BED\u001b(B^\u001b$(D0\"\u001b$BO:\u001b(B"));
        set.Decode(bytes, DicomVR.PN).Should().Be(name);
    }

    [Test]
    public void Encode_JisX0212CharacterWithoutIr159Declared_WritesQuestionMark()
    {
        Set("", "ISO 2022 IR 87").Encode("\u4E02", DicomVR.LO).Should().Equal(Of("?"));
    }

    [Test]
    public void Table_MappedCodePoints_HaveTheExpectedCount()
    {
        var count = 0;
        for (var row = 0x21; row <= 0x7E; row++)
        {
            for (var cell = 0x21; cell <= 0x7E; cell++)
            {
                if (JisX0212Table.TryGetCharacter((byte)row, (byte)cell, out _))
                {
                    count++;
                }
            }
        }

        count.Should().Be(ExpectedMappedCount);
        JisX0212Table.MappedCount.Should().Be(ExpectedMappedCount);
    }

    [Test]
    public void EncodeDecode_EveryMappedCodePoint_RoundTripsToTheSameBytes()
    {
        var set = Set("", "ISO 2022 IR 159");
        var failures = new List<string>();
        var checkedCount = 0;
        for (var row = 0x21; row <= 0x7E; row++)
        {
            for (var cell = 0x21; cell <= 0x7E; cell++)
            {
                byte[] bytes = [0x1B, 0x24, 0x28, 0x44, (byte)row, (byte)cell, 0x1B, 0x28, 0x42];
                var text = set.Decode(bytes, DicomVR.LO);
                if (text == "\uFFFD")
                {
                    continue;
                }

                checkedCount++;
                if (text[0] < 0x80)
                {
                    // 0x22/0x37 is TILDE, U+007E: ASCII is always written through G0 = ASCII, so it cannot come back.
                    continue;
                }

                if (!set.Encode(text, DicomVR.LO).AsSpan().SequenceEqual(bytes))
                {
                    failures.Add($"{row:X2}/{cell:X2} U+{(int)text[0]:X4}");
                }
            }
        }

        checkedCount.Should().Be(ExpectedMappedCount);
        failures.Should().BeEmpty();
    }
}
