using static DicomArchive.Dicom.Tests.CharacterSets.CharsetTestBytes;

namespace DicomArchive.Dicom.Tests.CharacterSets;

/// <summary>The single-byte sets of PS3.3 Table C.12-2 and their ISO 2022 forms; expected bytes from the ISO 8859 / TIS-620 tables.</summary>
public sealed class DicomCharacterSetSingleByteTests
{
    [TestCase("ISO_IR 100", "Buc^Jérôme", "4275635e4ae972f46d65")]
    [TestCase("ISO_IR 100", "Äneas^Rüdiger", "c46e6561735e52fc6469676572")]
    [TestCase("ISO_IR 101", "Łukasz Żółć", "a3756b61737a20aff3b3e6")]
    [TestCase("ISO_IR 109", "Ĝis ŝanĝo ĥoro", "d8697320fe616ef86f20b66f726f")]
    [TestCase("ISO_IR 110", "Ķēniņš Ātrs", "d3ba6e69f1b920c0747273")]
    [TestCase("ISO_IR 144", "Люкceмбypг", "bbeeda6365dcd17970d3")]
    [TestCase("ISO_IR 127", "قباني^لنزار", "e2c8c7e6ea5ee4e6d2c7d1")]
    [TestCase("ISO_IR 126", "Διονυσιος", "c4e9efedf5f3e9eff2")]
    [TestCase("ISO_IR 138", "שרון^דבורה", "f9f8e5ef5ee3e1e5f8e4")]
    [TestCase("ISO_IR 148", "Şükrü Güneş İ", "defc6b72fc2047fc6e65fe20dd")]
    [TestCase("ISO_IR 166", "ภาษาไทย", "c0d2c9d2e4b7c2")]
    [TestCase("ISO_IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ", "d4cfc0de5ec0dbb3")]
    [TestCase("ISO 2022 IR 100", "Buc^Jérôme", "4275635e4ae972f46d65")]
    [TestCase("ISO 2022 IR 144", "Люкceмбypг", "bbeeda6365dcd17970d3")]
    public void DecodeEncode_SingleByteSet_RoundTrips(string term, string text, string hex)
    {
        var set = Set(term);
        var bytes = Hex(hex);

        set.Decode(bytes, DicomVR.PN).Should().Be(text);
        set.Encode(text, DicomVR.PN).Should().Equal(bytes);
        set.UnknownTerms.Should().BeEmpty();
    }

    [Test]
    public void Encode_TwoIso2022SingleByteSets_SwitchesG1WithEscape()
    {
        var set = Set("ISO 2022 IR 100", "ISO 2022 IR 126");
        var expected = Of("J\u00e9r\u00f4me^\u001b-F\u00c4\u00e9\u00ef\u00ed\u00f5\u00f3\u00e9\u00ef\u00f2");

        set.IsIso2022.Should().BeTrue();
        set.Encode("Jérôme^Διονυσιος", DicomVR.PN).Should().Equal(expected);
        set.Decode(expected, DicomVR.PN).Should().Be("Jérôme^Διονυσιος");
    }

    [Test]
    public void Decode_G1ChangedThenDelimiter_ReturnsToInitialG1()
    {
        // After '\' the Latin-1 of value 1 is active again (PS3.5 6.1.2.5.3).
        var bytes = Of("\u001b-F\u00c4\\\u00c4");

        Set("ISO 2022 IR 100", "ISO 2022 IR 126").Decode(bytes, DicomVR.LO).Should().Be("Δ\\Ä");
    }

    [Test]
    public void Encode_CharacterNotInSet_WritesQuestionMark()
    {
        Set("ISO_IR 100").Encode("Ωmega", DicomVR.LO).Should().Equal(Of("?mega"));
    }

    [Test]
    public void Encode_Default_KeepsLatin1BytesForRoundTrip()
    {
        DicomCharacterSet.Default.Encode("Jérôme", DicomVR.PN).Should().Equal(Of("J\u00e9r\u00f4me"));
        DicomCharacterSet.Default.Decode(Of("J\u00e9r\u00f4me"), DicomVR.PN).Should().Be("Jérôme");
    }

    [TestCase(DicomVR.CS)]
    [TestCase(DicomVR.UI)]
    [TestCase(DicomVR.AE)]
    [TestCase(DicomVR.DA)]
    public void Decode_VrOutsidePs35Section6123_UsesDefaultRepertoireAsLatin1(DicomVR vr)
    {
        var bytes = Of("AB\u00c4\u00e9");

        Set("ISO_IR 192").Decode(bytes, vr).Should().Be("ABÄé");
        Set("", "ISO 2022 IR 87").Decode(Of("\u001b$B;3"), vr).Should().Be("\u001b$B;3");
    }
}
