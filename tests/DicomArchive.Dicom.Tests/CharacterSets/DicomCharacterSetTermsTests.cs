using static DicomArchive.Dicom.Tests.CharacterSets.CharsetTestBytes;

namespace DicomArchive.Dicom.Tests.CharacterSets;

public sealed class DicomCharacterSetTermsTests
{
    [TestCase("ISO IR 100")]
    [TestCase("ISO-IR 100")]
    [TestCase("ISO_IR100")]
    [TestCase("iso_ir 100")]
    [TestCase(" ISO_IR 100 ")]
    public void FromTerms_CommonMisspelling_MapsToLatin1(string term)
    {
        var set = Set(term);

        set.UnknownTerms.Should().BeEmpty();
        set.Decode(Of("J\u00e9r\u00f4me"), DicomVR.PN).Should().Be("Jérôme");
    }

    [TestCase("ISO IR 192")]
    [TestCase("ISO_IR192")]
    [TestCase("UTF-8")]
    public void FromTerms_Utf8Spellings_MapToUtf8(string term)
    {
        Set(term).Decode(Hex("c3a9"), DicomVR.LO).Should().Be("é");
    }

    [Test]
    public void FromTerms_UnknownTerm_DoesNotThrowAndFallsBackToLatin1()
    {
        var ok = DicomCharacterSet.TryFromTerms(["ISO_IR 999"], out var set);

        ok.Should().BeFalse();
        set.UnknownTerms.Should().Equal("ISO_IR 999");
        set.Decode(Of("J\u00e9r\u00f4me"), DicomVR.PN).Should().Be("Jérôme");
        DicomCharacterSet.FromTerms(["nonsense"]).Terms.Should().Equal("nonsense");
    }

    [Test]
    public void FromTerms_EmptyOrAbsent_IsDefaultRepertoire()
    {
        Set().Should().BeSameAs(DicomCharacterSet.Default);
        Set("").IsIso2022.Should().BeFalse();
        Set("").Decode(Of("Doe^John"), DicomVR.PN).Should().Be("Doe^John");
    }

    [Test]
    public void FromTerms_Utf8WithExtraValues_IgnoresTheRest()
    {
        var set = Set("ISO_IR 192", "ISO 2022 IR 87");

        set.IsIso2022.Should().BeFalse();
        set.Decode(Hex("e5b1b1e794b0"), DicomVR.PN).Should().Be("山田");
    }

    [Test]
    public void FromTerms_NonExtensionValue1WithMoreValues_IsTreatedAsIso2022()
    {
        var set = Set("ISO_IR 100", "ISO 2022 IR 87");

        set.IsIso2022.Should().BeTrue();
        set.Decode(Of("J\u00e9r\u00f4me=\u001b$B;3ED\u001b(B"), DicomVR.PN).Should().Be("Jérôme=山田");
    }

    [Test]
    public void StaticInstances_HaveTheirTerms()
    {
        DicomCharacterSet.Utf8.Terms.Should().Equal("ISO_IR 192");
        DicomCharacterSet.Latin1.Terms.Should().Equal("ISO_IR 100");
        DicomCharacterSet.Default.Terms.Should().BeEmpty();
    }
}
