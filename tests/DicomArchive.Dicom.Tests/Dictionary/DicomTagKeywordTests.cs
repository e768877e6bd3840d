using System.Reflection;

namespace DicomArchive.Dicom.Tests.Dictionary;

public sealed class DicomTagKeywordTests
{
    [Test]
    public void Keywords_NameTheStandardTags()
    {
        DicomTag.PixelData.Should().Be(new DicomTag(0x7FE0, 0x0010));
        DicomTag.PatientName.Should().Be(new DicomTag(0x0010, 0x0010));
        DicomTag.Rows.Should().Be(new DicomTag(0x0028, 0x0010));
        DicomTag.CommandField.Should().Be(new DicomTag(0x0000, 0x0100));
        DicomTag.TransferSyntaxUID.Should().Be(new DicomTag(0x0002, 0x0010));
        DicomTag.Item.Should().Be(new DicomTag(0xFFFE, 0xE000));
    }

    [Test]
    public void Keywords_OfRepeatingGroups_UseTheBaseGroup()
    {
        DicomTag.OverlayData.Should().Be(new DicomTag(0x6000, 0x3000));
        DicomTag.CurveData.Should().Be(new DicomTag(0x5000, 0x3000));
        DicomTag.VariablePixelData.Should().Be(new DicomTag(0x7F00, 0x0010));
    }

    [Test]
    public void Keywords_OfRepeatingElements_AvoidListedTagsAndGroupLengths()
    {
        DicomTag.RowsForNthOrderCoefficients.Should().Be(new DicomTag(0x0028, 0x0410));
        DicomTag.ZonalMap.Should().Be(new DicomTag(0x1010, 0x0001));
        DicomTag.EscapeTriplet.Should().Be(new DicomTag(0x1000, 0x0010));
    }

    [Test]
    public void Keywords_EachResolveToTheEntryOfTheSameKeyword()
    {
        var properties = typeof(DicomTag).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(DicomTag)).ToList();
        var fields = typeof(DicomTag).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DicomTag)).ToList();

        // Every keyword but the seven nameless placeholders; Item and the delimiters are hand-written fields.
        (properties.Count + fields.Count).Should().Be(5354 - 7);
        foreach (var property in properties)
        {
            var tag = (DicomTag)property.GetValue(null)!;
            DicomDictionary.GetKeyword(tag).Should().Be(property.Name, $"{tag} is DicomTag.{property.Name}");
            DicomDictionary.TryGetTag(property.Name, out var byKeyword).Should().BeTrue();
            byKeyword.Should().Be(tag, $"DicomTag.{property.Name} and the dictionary agree");
        }
    }
}
