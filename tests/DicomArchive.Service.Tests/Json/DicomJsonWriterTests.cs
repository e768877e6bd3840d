using System.Buffers.Binary;
using System.Text.Json;
using DicomArchive.Dicom;
using DicomArchive.Dicom.Json;

namespace DicomArchive.Service.Tests.Json;

public sealed class DicomJsonWriterTests
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag ImageType = new(0x0008, 0x0008);
    private static readonly DicomTag InstanceNumber = new(0x0020, 0x0013);
    private static readonly DicomTag SliceThickness = new(0x0018, 0x0050);
    private static readonly DicomTag ImagePosition = new(0x0020, 0x0032);

    private static string Json(DicomDataset dataset) => DicomJsonWriter.ToJson(dataset);

    [Test]
    public void ToJson_EmptyDataset_EmptyObject()
    {
        Json(new DicomDataset()).Should().Be("{}");
    }

    [Test]
    public void ToJson_PersonNameWithThreeGroups_ObjectWithEachGroup()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(PatientName, DicomVR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");

        Json(dataset).Should().Be(
            """{"00080005":{"vr":"CS","Value":["ISO_IR 192"]},"00100010":{"vr":"PN","Value":[{"Alphabetic":"Yamada^Tarou","Ideographic":"山田^太郎","Phonetic":"やまだ^たろう"}]}}""");
    }

    [Test]
    public void ToJson_PersonNameWithEmptyAlphabeticGroup_OnlyNonEmptyGroups()
    {
        var dataset = new DicomDataset().AddOrUpdate(PatientName, DicomVR.PN, "=Ideo=");

        Json(dataset).Should().Be("""{"00100010":{"vr":"PN","Value":[{"Ideographic":"Ideo"}]}}""");
    }

    [Test]
    public void ToJson_MultiValuedPersonName_OneObjectPerValueAndNullForEmpty()
    {
        var dataset = new DicomDataset().AddOrUpdate(PatientName, DicomVR.PN, "A^B", "", "C");

        Json(dataset).Should().Be("""{"00100010":{"vr":"PN","Value":[{"Alphabetic":"A^B"},null,{"Alphabetic":"C"}]}}""");
    }

    [Test]
    public void ToJson_IntegerString_JsonIntegers()
    {
        var dataset = new DicomDataset().AddOrUpdate(InstanceNumber, DicomVR.IS, " +0012", "-3 ");

        Json(dataset).Should().Be("""{"00200013":{"vr":"IS","Value":[12,-3]}}""");
    }

    [TestCase("1.5", "1.5")]
    [TestCase("+.5", "0.5")]
    [TestCase("-.25", "-0.25")]
    [TestCase("5.", "5")]
    [TestCase("007.50", "7.50")]
    [TestCase("1E+3", "1E+3")]
    [TestCase("-0001.0e-07", "-1.0e-07")]
    [TestCase("123456789012.345678", "123456789012.345678")]
    public void ToJson_DecimalString_JsonNumberWithTheSameDigits(string ds, string expected)
    {
        var dataset = new DicomDataset().AddOrUpdate(SliceThickness, DicomVR.DS, ds);

        Json(dataset).Should().Be($$$"""{"00180050":{"vr":"DS","Value":[{{{expected}}}]}}""");
    }

    [TestCase("abc")]
    [TestCase("1.2.3")]
    [TestCase("e5")]
    [TestCase("1e")]
    public void ToJson_DecimalStringThatIsNoNumber_JsonString(string ds)
    {
        var dataset = new DicomDataset().AddOrUpdate(SliceThickness, DicomVR.DS, ds);

        Json(dataset).Should().Be($$$"""{"00180050":{"vr":"DS","Value":["{{{ds}}}"]}}""");
    }

    [Test]
    public void ToJson_IntegerStringThatIsNoInteger_JsonString()
    {
        var dataset = new DicomDataset().AddOrUpdate(InstanceNumber, DicomVR.IS, "1A");

        Json(dataset).Should().Be("""{"00200013":{"vr":"IS","Value":["1A"]}}""");
    }

    [Test]
    public void ToJson_MultiValuedDecimalStringWithEmptyValue_NullInArray()
    {
        var dataset = new DicomDataset().AddOrUpdate(ImagePosition, DicomVR.DS, "1", "", "-2.5");

        Json(dataset).Should().Be("""{"00200032":{"vr":"DS","Value":[1,null,-2.5]}}""");
    }

    [Test]
    public void ToJson_MultiValuedCodeString_ArrayOfStringsWithPaddingRemoved()
    {
        var dataset = new DicomDataset().AddOrUpdate(ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL ");

        Json(dataset).Should().Be("""{"00080008":{"vr":"CS","Value":["ORIGINAL","PRIMARY","AXIAL"]}}""");
    }

    [Test]
    public void ToJson_UidWithNulPadding_PaddingRemoved()
    {
        var dataset = new DicomDataset().AddOrUpdate(new DicomTag(0x0008, 0x0016), DicomVR.UI, "1.2.3");

        Json(dataset).Should().Be("""{"00080016":{"vr":"UI","Value":["1.2.3"]}}""");
    }

    [Test]
    public void ToJson_TextWithBackslash_OneValueWithLeadingSpacesKept()
    {
        var dataset = new DicomDataset().AddOrUpdate(new DicomTag(0x0020, 0x4000), DicomVR.LT, "  C:\\dir\\file  ");

        Json(dataset).Should().Be("""{"00204000":{"vr":"LT","Value":["  C:\\dir\\file"]}}""");
    }

    [Test]
    public void ToJson_EmptyValues_VrOnly()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0008, 0x0050), DicomVR.SH, string.Empty)
            .AddOrUpdate(new DicomTag(0x0008, 0x0090), DicomVR.PN, string.Empty)
            .AddOrUpdate(new DicomTag(0x0018, 0x1151), DicomVR.IS, "  ")
            .AddOrUpdate(new DicomTag(0x0028, 0x0010), DicomVR.US, Array.Empty<long>());
        dataset.Add(new DicomSequence(new DicomTag(0x0040, 0x0275)));

        Json(dataset).Should().Be(
            """{"00080050":{"vr":"SH"},"00080090":{"vr":"PN"},"00181151":{"vr":"IS"},"00280010":{"vr":"US"},"00400275":{"vr":"SQ"}}""");
    }

    [Test]
    public void ToJson_AttributeTag_EightUpperCaseHexDigits()
    {
        var dataset = new DicomDataset().AddOrUpdate(new DicomTag(0x0028, 0x0009), new DicomTag(0x0054, 0x0010), new DicomTag(0x7FE0, 0x0010));

        Json(dataset).Should().Be("""{"00280009":{"vr":"AT","Value":["00540010","7FE00010"]}}""");
    }

    [Test]
    public void ToJson_BinaryIntegers_JsonNumbers()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0028, 0x0010), DicomVR.US, 512, 65535)
            .AddOrUpdate(new DicomTag(0x0028, 0x0106), DicomVR.SS, -32768)
            .AddOrUpdate(new DicomTag(0x0028, 0x0107), DicomVR.UL, 4294967295)
            .AddOrUpdate(new DicomTag(0x0028, 0x0108), DicomVR.SL, -7);

        Json(dataset).Should().Be(
            """{"00280010":{"vr":"US","Value":[512,65535]},"00280106":{"vr":"SS","Value":[-32768]},"00280107":{"vr":"UL","Value":[4294967295]},"00280108":{"vr":"SL","Value":[-7]}}""");
    }

    [Test]
    public void ToJson_VeryLongBeyondTwoToThe53_String()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0011, 0x1001), DicomVR.SV, 42, -(1L << 53), long.MinValue)
            .AddOrUpdate(new DicomTag(0x0011, 0x1002), DicomVR.UV, (1L << 53) - 1, long.MaxValue);

        Json(dataset).Should().Be(
            """{"00111001":{"vr":"SV","Value":[42,"-9007199254740992","-9223372036854775808"]},"00111002":{"vr":"UV","Value":[9007199254740991,"9223372036854775807"]}}""");
    }

    [Test]
    public void ToJson_FloatingPoint_ShortestRoundTripAndNamedNonFinite()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0018, 0x9305), DicomVR.FD, 0.625, double.NaN)
            .AddOrUpdate(new DicomTag(0x0018, 0x9306), DicomVR.FL, -77.20406, double.PositiveInfinity);

        Json(dataset).Should().Be(
            """{"00189305":{"vr":"FD","Value":[0.625,"NaN"]},"00189306":{"vr":"FL","Value":[-77.20406,"Infinity"]}}""");
    }

    [TestCase(DicomVR.OB)]
    [TestCase(DicomVR.OW)]
    [TestCase(DicomVR.OF)]
    [TestCase(DicomVR.OD)]
    [TestCase(DicomVR.OL)]
    [TestCase(DicomVR.OV)]
    [TestCase(DicomVR.UN)]
    public void ToJson_BinaryVR_InlineBinaryOfLittleEndianBytes(DicomVR vr)
    {
        var bytes = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var dataset = new DicomDataset().AddOrUpdate(new DicomTag(0x0009, 0x1010), vr, bytes);

        Json(dataset).Should().Be($$$"""{"00091010":{"vr":"{{{DicomVRInfo.Name(vr)}}}","InlineBinary":"AQIDBAUGBwg="}}""");
    }

    [TestCase(786_432)]
    [TestCase(2_000_003)]
    public void ToJson_BinaryLargerThanOneSegment_DecodesToTheSameBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var dataset = new DicomDataset().AddOrUpdate(DicomTag.PixelData, DicomVR.OB, bytes);

        using var document = JsonDocument.Parse(Json(dataset));

        document.RootElement.GetProperty("7FE00010").GetProperty("InlineBinary").GetBytesFromBase64()
            .Should().Equal(length % 2 == 0 ? bytes : [.. bytes, 0]);
    }

    [Test]
    public void ToJson_NestedSequences_ItemsAsObjectsAndEmptyItemAsEmptyObject()
    {
        var inner = new DicomDataset().AddOrUpdate(new DicomTag(0x0008, 0x1155), DicomVR.UI, "1.2.3");
        var item = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0008, 0x1150), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2")
            .AddOrUpdate(new DicomTag(0x0008, 0x1199), inner);
        var dataset = new DicomDataset().AddOrUpdate(new DicomTag(0x0008, 0x1115), item, new DicomDataset());

        Json(dataset).Should().Be(
            """{"00081115":{"vr":"SQ","Value":[{"00081150":{"vr":"UI","Value":["1.2.840.10008.5.1.4.1.1.2"]},"00081199":{"vr":"SQ","Value":[{"00081155":{"vr":"UI","Value":["1.2.3"]}}]}},{}]}}""");
    }

    [Test]
    public void ToJson_ItemInheritsCharacterSet_DecodesNestedTextWithIt()
    {
        var item = new DicomDataset();
        var dataset = new DicomDataset().AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        dataset.AddOrUpdate(new DicomTag(0x0040, 0xA730), item);
        item.AddOrUpdate(new DicomTag(0x0040, 0xA160), DicomVR.UT, "Grüße");

        Json(dataset).Should().Contain("\"Value\":[\"Grüße\"]");
    }

    [Test]
    public void ToJson_GroupLength_Omitted()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0008, 0x0000), DicomVR.UL, 10)
            .AddOrUpdate(new DicomTag(0x0008, 0x0060), DicomVR.CS, "CT");

        Json(dataset).Should().Be("""{"00080060":{"vr":"CS","Value":["CT"]}}""");
    }

    [Test]
    public void ToJson_EncapsulatedPixelData_InlineBinaryOfItemsWithoutDelimiter()
    {
        var offsetTable = new byte[] { 0, 0, 0, 0 };
        var fragments = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, offsetTable,
            [new DicomFragment(new byte[] { 0xFF, 0xD8 }), new DicomFragment(new byte[] { 0xFF, 0xD9, 0x00, 0x01 })]);
        var dataset = new DicomDataset([fragments]);
        var expected = new List<byte>();
        AddItem(expected, offsetTable);
        AddItem(expected, [0xFF, 0xD8]);
        AddItem(expected, [0xFF, 0xD9, 0x00, 0x01]);

        Json(dataset).Should().Be($$$"""{"7FE00010":{"vr":"OB","InlineBinary":"{{{Convert.ToBase64String(expected.ToArray())}}}"}}""");
    }

    [Test]
    public void ToJson_EncapsulatedPixelDataWithoutFragments_OnlyTheOffsetTableItem()
    {
        var dataset = new DicomDataset([new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty)]);

        Json(dataset).Should().Be($$$"""{"7FE00010":{"vr":"OB","InlineBinary":"{{{Convert.ToBase64String([0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0])}}}"}}""");
    }

    [Test]
    public void ToJson_ValueLeftInSource_BulkDataUriWithOffsetAndLength()
    {
        var path = Path.Combine(Path.GetTempPath(), "a b.dcm");
        var element = new DicomValueElement(DicomTag.PixelData, DicomVR.OW, new DicomBulkDataReference(path, 1234, 5678, false));
        var dataset = new DicomDataset([element]);

        using var document = JsonDocument.Parse(Json(dataset));
        var uri = document.RootElement.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString();

        uri.Should().Be(new Uri(path).AbsoluteUri + "?offset=1234&length=5678");
        uri.Should().StartWith("file:///").And.Contain("a%20b.dcm");
    }

    [Test]
    public void Write_ToUtf8JsonWriter_SameAsToJson()
    {
        var dataset = new DicomDataset().AddOrUpdate(PatientName, DicomVR.PN, "Doe^John");
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            DicomJsonWriter.Write(writer, dataset);
        }

        System.Text.Encoding.UTF8.GetString(stream.ToArray()).Should().Be(Json(dataset));
    }

    [Test]
    public void ToJson_Indented_IsValidJsonWithTheSameContent()
    {
        var dataset = new DicomDataset().AddOrUpdate(ImageType, DicomVR.CS, "A", "B");

        var indented = DicomJsonWriter.ToJson(dataset, indented: true);

        indented.Should().Contain("\n");
        using var document = JsonDocument.Parse(indented);
        document.RootElement.GetProperty("00080008").GetProperty("Value").GetArrayLength().Should().Be(2);
    }

    private static void AddItem(List<byte> bytes, byte[] value)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), 0xE000);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)value.Length);
        bytes.AddRange(header);
        bytes.AddRange(value);
    }
}
