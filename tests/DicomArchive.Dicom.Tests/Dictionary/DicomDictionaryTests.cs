namespace DicomArchive.Dicom.Tests.Dictionary;

public sealed class DicomDictionaryTests
{
    [TestCase(0x0010, 0x0010, "PatientName", DicomVR.PN, "1")]
    [TestCase(0x0028, 0x0010, "Rows", DicomVR.US, "1")]
    [TestCase(0x0000, 0x0100, "CommandField", DicomVR.US, "1")]
    [TestCase(0x0002, 0x0010, "TransferSyntaxUID", DicomVR.UI, "1")]
    [TestCase(0x0004, 0x1220, "DirectoryRecordSequence", DicomVR.SQ, "1")]
    [TestCase(0x0006, 0x0001, "CurrentFrameFunctionalGroupsSequence", DicomVR.SQ, "1")]
    [TestCase(0x0008, 0x0016, "SOPClassUID", DicomVR.UI, "1")]
    [TestCase(0x0020, 0x0032, "ImagePositionPatient", DicomVR.DS, "3")]
    public void TryGetEntry_ListedTag_HasKeywordVRAndVM(int group, int element, string keyword, DicomVR vr, string vm)
    {
        DicomDictionary.TryGetEntry(new DicomTag((ushort)group, (ushort)element), out var entry).Should().BeTrue();
        entry!.Keyword.Should().Be(keyword);
        entry.VR.Should().Be(vr);
        entry.AlternateVR.Should().Be(DicomVR.None);
        entry.ValueMultiplicity.Should().Be(vm);
        entry.IsRepeating.Should().BeFalse();
    }

    [TestCase("PatientName", 0x00100010u)]
    [TestCase("Rows", 0x00280010u)]
    [TestCase("PixelData", 0x7FE00010u)]
    [TestCase("CommandField", 0x00000100u)]
    [TestCase("OverlayData", 0x60003000u)]
    [TestCase("RowsForNthOrderCoefficients", 0x00280410u)]
    [TestCase("ZonalMap", 0x10100001u)]
    public void TryGetTag_Keyword_FindsTheTag(string keyword, uint expected)
    {
        DicomDictionary.TryGetTag(keyword, out var tag).Should().BeTrue();
        tag.Value.Should().Be(expected);
    }

    [Test]
    public void TryGetTag_UnknownOrWrongCaseKeyword_ReturnsFalse()
    {
        DicomDictionary.TryGetTag("NoSuchKeyword", out _).Should().BeFalse();
        DicomDictionary.TryGetTag("patientname", out _).Should().BeFalse();
    }

    [Test]
    public void TryGetEntry_OverlayDataInAnotherGroup_IsTheRepeatingOBOrOWEntry()
    {
        DicomDictionary.TryGetEntry(new DicomTag(0x6002, 0x3000), out var entry).Should().BeTrue();
        entry!.Keyword.Should().Be("OverlayData");
        entry.VR.Should().Be(DicomVR.OB);
        entry.AlternateVR.Should().Be(DicomVR.OW);
        entry.IsRepeating.Should().BeTrue();
        entry.Tag.Value.Should().Be(0x60003000u);
        entry.Mask.Should().Be(0xFF00FFFFu);
        entry.IsRetired.Should().BeFalse();
    }

    [Test]
    public void TryGetEntry_CurveDataInAnotherGroup_IsRetired()
    {
        DicomDictionary.TryGetEntry(new DicomTag(0x5010, 0x3000), out var entry).Should().BeTrue();
        entry!.Keyword.Should().Be("CurveData");
        entry.VR.Should().Be(DicomVR.OB);
        entry.AlternateVR.Should().Be(DicomVR.OW);
        entry.IsRetired.Should().BeTrue();
    }

    [TestCase(0x0020, 0x3105, "SourceImageIDs", 0xFFFFFF00u)]
    [TestCase(0x0028, 0x0431, "ColumnsForNthOrderCoefficients", 0xFFFFFF0Fu)]
    [TestCase(0x1000, 0x0123, "HuffmanTableTriplet", 0xFFFF000Fu)]
    [TestCase(0x1010, 0x1234, "ZonalMap", 0xFFFF0000u)]
    [TestCase(0x7F22, 0x0010, "VariablePixelData", 0xFF00FFFFu)]
    public void TryGetEntry_RepeatingElement_MatchesItsMask(int group, int element, string keyword, uint mask)
    {
        DicomDictionary.TryGetEntry(new DicomTag((ushort)group, (ushort)element), out var entry).Should().BeTrue();
        entry!.Keyword.Should().Be(keyword);
        entry.Mask.Should().Be(mask);
    }

    [Test]
    public void TryGetEntry_ListedTagInsideARepeatingRange_WinsOverTheRange()
    {
        // (0028,0400) Transform Label is its own element although (0028,04x0) would cover it.
        DicomDictionary.TryGetEntry(new DicomTag(0x0028, 0x0400), out var entry).Should().BeTrue();
        entry!.Keyword.Should().Be("TransformLabel");
        DicomDictionary.TryGetEntry(new DicomTag(0x0028, 0x0410), out entry).Should().BeTrue();
        entry!.Keyword.Should().Be("RowsForNthOrderCoefficients");
    }

    [Test]
    public void GetVR_PrivateCreator_IsLO()
    {
        DicomDictionary.GetVR(new DicomTag(0x0009, 0x0010)).Should().Be(DicomVR.LO);
        DicomDictionary.GetKeyword(new DicomTag(0x0009, 0x0010)).Should().Be("PrivateCreator");
    }

    [Test]
    public void GetVR_PrivateElement_IsUN()
    {
        DicomDictionary.TryGetEntry(new DicomTag(0x0009, 0x1001), out _).Should().BeFalse();
        DicomDictionary.GetVR(new DicomTag(0x0009, 0x1001)).Should().Be(DicomVR.UN);
    }

    [TestCase(0x0008)]
    [TestCase(0x0009)]
    [TestCase(0x1000)] // not (1000,xxx0) Escape Triplet
    [TestCase(0x1010)] // not (1010,xxxx) Zonal Map
    [TestCase(0x6000)]
    public void GetVR_GroupLength_IsUL(int group)
    {
        DicomDictionary.TryGetEntry(new DicomTag((ushort)group, 0x0000), out var entry).Should().BeTrue();
        entry!.Keyword.Should().Be("GroupLength");
        entry.VR.Should().Be(DicomVR.UL);
    }

    [Test]
    public void TryGetEntry_CommandAndMetaGroupLengths_AreTheirOwnEntries()
    {
        DicomDictionary.GetKeyword(new DicomTag(0x0000, 0x0000)).Should().Be("CommandGroupLength");
        DicomDictionary.GetKeyword(new DicomTag(0x0002, 0x0000)).Should().Be("FileMetaInformationGroupLength");
    }

    [Test]
    public void GetVR_UnlistedStandardTag_IsUN()
    {
        DicomDictionary.GetVR(new DicomTag(0x0008, 0x0003)).Should().Be(DicomVR.UN);
        DicomDictionary.GetKeyword(new DicomTag(0x0008, 0x0003)).Should().BeEmpty();
    }

    [Test]
    public void TryGetEntry_GrayLookupTableData_KeepsTheFirstTwoOfUSOrSSOrOW()
    {
        DicomDictionary.TryGetEntry(new DicomTag(0x0028, 0x1200), out var entry).Should().BeTrue();
        entry!.VR.Should().Be(DicomVR.US);
        entry.AlternateVR.Should().Be(DicomVR.SS);
        entry.ValueMultiplicity.Should().Be("1-n or 1");
        entry.IsRetired.Should().BeTrue();
    }

    [Test]
    public void TryGetEntry_SmallestImagePixelValue_IsUSOrSS()
    {
        DicomDictionary.TryGetEntry(new DicomTag(0x0028, 0x0106), out var entry).Should().BeTrue();
        entry!.VR.Should().Be(DicomVR.US);
        entry.AlternateVR.Should().Be(DicomVR.SS);
        DicomDictionary.GetVR(entry.Tag).Should().Be(DicomVR.US);
    }

    [Test]
    public void TryGetEntry_ItemAndRetiredPlaceholder_HaveNoVR()
    {
        DicomDictionary.TryGetEntry(DicomTag.Item, out var item).Should().BeTrue();
        item!.VR.Should().Be(DicomVR.None);
        item.Keyword.Should().Be("Item");

        DicomDictionary.TryGetEntry(new DicomTag(0x0008, 0x0202), out var placeholder).Should().BeTrue();
        placeholder!.VR.Should().Be(DicomVR.None);
        placeholder.Keyword.Should().BeEmpty();
        placeholder.Name.Should().BeEmpty();
        placeholder.IsRetired.Should().BeTrue();
    }

    [Test]
    public void TryGetEntry_Name_KeepsTheMicroSign()
    {
        DicomDictionary.TryGetEntry(new DicomTag(0x0018, 0x1153), out var entry).Should().BeTrue();
        entry!.Name.Should().Be("Exposure in µAs");
        DicomDictionary.TryGetEntry(new DicomTag(0x0010, 0x0010), out entry).Should().BeTrue();
        entry!.Name.Should().Be("Patient's Name");
    }

    [Test]
    public void Entries_HoldEveryRowOfTheRegistry()
    {
        DicomDictionary.Entries.Should().HaveCount(5354);
        DicomDictionary.Entries.Count(e => e.IsRetired).Should().Be(496);
        DicomDictionary.Entries.Count(e => e.IsRepeating).Should().Be(88);
    }

    [Test]
    public void Entries_AgreeWithTheRegistryTsv()
    {
        var rows = File.ReadAllLines(RegistryFile("data-elements.tsv"))[1..];
        rows.Should().HaveCount(DicomDictionary.Entries.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            var f = rows[i].Split('\t');
            var entry = DicomDictionary.Entries[i];
            var vrs = f[3].Split('|');
            var expected = new
            {
                Tag = f[0].Replace(",", string.Empty, StringComparison.Ordinal).Replace('x', '0'),
                Keyword = f[1],
                Name = f[2],
                VR = f[3].Length == 0 ? DicomVR.None : Enum.Parse<DicomVR>(vrs[0]),
                AlternateVR = vrs.Length > 1 ? Enum.Parse<DicomVR>(vrs[1]) : DicomVR.None,
                VM = f[4].Replace("|", " or ", StringComparison.Ordinal),
                IsRetired = f[5] == "Y",
                IsRepeating = f[0].Contains('x', StringComparison.Ordinal),
            };
            var actual = new
            {
                Tag = entry.Tag.Value.ToString("X8", System.Globalization.CultureInfo.InvariantCulture),
                entry.Keyword,
                entry.Name,
                entry.VR,
                entry.AlternateVR,
                VM = entry.ValueMultiplicity,
                entry.IsRetired,
                entry.IsRepeating,
            };
            actual.Should().BeEquivalentTo(expected, $"row {i + 2} of data-elements.tsv ({f[0]})");
        }
    }

    /// <summary>tools/registry/NAME, found by walking up from the test assembly to the repository root.</summary>
    internal static string RegistryFile(string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tools", "registry", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        Assert.Fail($"tools/registry/{name} not found above {TestContext.CurrentContext.TestDirectory}");
        return string.Empty;
    }
}
