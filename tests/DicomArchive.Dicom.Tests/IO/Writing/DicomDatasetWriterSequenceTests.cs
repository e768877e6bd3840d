using static DicomArchive.Dicom.Tests.IO.Writing.WriterTestHelpers;

namespace DicomArchive.Dicom.Tests.IO.Writing;

/// <summary>Sequences and items (PS3.5 7.5) and encapsulated pixel data (PS3.5 A.4).</summary>
public sealed class DicomDatasetWriterSequenceTests
{
    private static readonly DicomTag ReferencedSopSequence = new(0x0008, 0x1115);

    private static DicomSequence Sequence(bool undefined, params DicomDataset[] items) =>
        new(ReferencedSopSequence, items) { HadUndefinedLength = undefined };

    private static DicomDataset Item(bool? undefined = null) =>
        new(new DicomElement[] { Text(0x0008, 0x1150, DicomVR.UI, "1.2\0") }) { HadUndefinedLength = undefined };

    private const string ItemElementExplicit = "08005011 5549 0400 312E3200";
    private const string ItemElementImplicit = "08005011 04000000 312E3200";

    [Test]
    public void Write_DefinedLengthSequence_ExplicitLittleEndian()
    {
        var bytes = Encode(Dataset(Sequence(false, Item())), TransferSyntax.ExplicitVRLittleEndian);
        bytes.Should().Equal(Hex($"08001511 5351 0000 14000000 | FEFF00E0 0C000000 | {ItemElementExplicit}"));
    }

    [Test]
    public void Write_UndefinedLengthSequence_ItemsAndDelimiters()
    {
        var bytes = Encode(Dataset(Sequence(true, Item())), TransferSyntax.ExplicitVRLittleEndian);
        bytes.Should().Equal(Hex(
            $"08001511 5351 0000 FFFFFFFF | FEFF00E0 FFFFFFFF | {ItemElementExplicit} | FEFF0DE0 00000000 | FEFFDDE0 00000000"));
    }

    [Test]
    public void Write_ImplicitDefinedLengthSequence_NoVR()
    {
        var bytes = Encode(Dataset(Sequence(false, Item())), TransferSyntax.ImplicitVRLittleEndian);
        bytes.Should().Equal(Hex($"08001511 14000000 | FEFF00E0 0C000000 | {ItemElementImplicit}"));
    }

    [Test]
    public void Write_BigEndianSequence_ItemTagsBigEndian()
    {
        var bytes = Encode(Dataset(Sequence(true, Item())), TransferSyntax.ExplicitVRBigEndian);
        bytes.Should().Equal(Hex(
            "00081115 5351 0000 FFFFFFFF | FFFEE000 FFFFFFFF | 00081150 5549 0004 312E3200 | FFFEE00D 00000000 | FFFEE0DD 00000000"));
    }

    [Test]
    public void Write_UndefinedSequenceWithDefinedItem_KeepsEachFormAsRead()
    {
        var bytes = Encode(Dataset(Sequence(true, Item(undefined: false))), TransferSyntax.ExplicitVRLittleEndian);
        bytes.Should().Equal(Hex($"08001511 5351 0000 FFFFFFFF | FEFF00E0 0C000000 | {ItemElementExplicit} | FEFFDDE0 00000000"));
    }

    [Test]
    public void Write_OptionsForceDefinedLengths_OverridesFormRead()
    {
        var options = new DicomWriterOptions { SequenceLength = DicomLengthForm.Defined, ItemLength = DicomLengthForm.Defined };
        var bytes = Encode(Dataset(Sequence(true, Item(undefined: true))), TransferSyntax.ExplicitVRLittleEndian, options);
        bytes.Should().Equal(Hex($"08001511 5351 0000 14000000 | FEFF00E0 0C000000 | {ItemElementExplicit}"));
    }

    [Test]
    public void Write_OptionsForceUndefinedLengths_OverridesFormRead()
    {
        var options = new DicomWriterOptions { SequenceLength = DicomLengthForm.Undefined, ItemLength = DicomLengthForm.Undefined };
        var bytes = Encode(Dataset(Sequence(false, Item(undefined: false))), TransferSyntax.ImplicitVRLittleEndian, options);
        bytes.Should().Equal(Hex(
            $"08001511 FFFFFFFF | FEFF00E0 FFFFFFFF | {ItemElementImplicit} | FEFF0DE0 00000000 | FEFFDDE0 00000000"));
    }

    [Test]
    public void Write_EmptySequences_ZeroLengthOrDelimiterOnly()
    {
        Encode(Dataset(Sequence(false)), TransferSyntax.ExplicitVRLittleEndian).Should().Equal(Hex("08001511 5351 0000 00000000"));
        Encode(Dataset(Sequence(true)), TransferSyntax.ExplicitVRLittleEndian)
            .Should().Equal(Hex("08001511 5351 0000 FFFFFFFF | FEFFDDE0 00000000"));
        Encode(Dataset(Sequence(false, new DicomDataset())), TransferSyntax.ImplicitVRLittleEndian)
            .Should().Equal(Hex("08001511 08000000 | FEFF00E0 00000000"));
    }

    [Test]
    public void Write_NestedDefinedLengths_EachLevelCountsItsContent()
    {
        // Inner item: one 12-byte element; inner sequence 8 + (8 + 12); outer item 8 + 28; outer sequence content 36.
        var inner = new DicomSequence(new DicomTag(0x0008, 0x1140), [Item()]);
        var outer = Sequence(false, Dataset(inner));
        var bytes = Encode(Dataset(outer), TransferSyntax.ImplicitVRLittleEndian);
        bytes.Should().Equal(Hex(
            $"08001511 24000000 | FEFF00E0 1C000000 | 08004011 14000000 | FEFF00E0 0C000000 | {ItemElementImplicit}"));
    }

    [Test]
    public void Write_DeepNesting_DefinedLengthsConsistentAndLinear()
    {
        // 300 levels: with lengths recomputed per level this would be quadratic; it must also be self-consistent.
        DicomDataset item = Item();
        for (var i = 0; i < 300; i++)
        {
            item = Dataset(new DicomSequence(ReferencedSopSequence, [item]));
        }

        var bytes = Encode(item, TransferSyntax.ExplicitVRLittleEndian);
        bytes.Length.Should().Be((300 * (12 + 8)) + 12);
        BitConverter.ToUInt32(bytes, 8).Should().Be((uint)(bytes.Length - 12));
        BitConverter.ToUInt32(bytes, 16).Should().Be((uint)(bytes.Length - 20));
        DicomDatasetWriter.GetEncodedLength(item, TransferSyntax.ExplicitVRLittleEndian).Should().Be(bytes.Length);
    }

    [Test]
    public void Write_GroupLengthInsideItem_Recalculated()
    {
        var item = Dataset(Value(0x0008, 0x0000, DicomVR.UL, 0, 0, 0, 0), Text(0x0008, 0x1150, DicomVR.UI, "1.2\0"));
        var bytes = Encode(Dataset(Sequence(false, item)), TransferSyntax.ImplicitVRLittleEndian);
        bytes.Should().Equal(Hex($"08001511 20000000 | FEFF00E0 18000000 | 08000000 04000000 0C000000 | {ItemElementImplicit}"));
    }

    [Test]
    public void Write_SequenceReadAsUN_WrittenAsSQ()
    {
        var sequence = new DicomSequence(new DicomTag(0x0019, 0x1010), DicomVR.UN, [Item()]) { HadUndefinedLength = true };
        var bytes = Encode(Dataset(sequence), TransferSyntax.ExplicitVRLittleEndian);
        bytes.AsSpan(0, 12).ToArray().Should().Equal(Hex("19001010 5351 0000 FFFFFFFF"));
    }

    [Test]
    public void Write_Fragments_UndefinedLengthOBWithOffsetTableAndPaddedItems()
    {
        var fragments = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, Hex("00000000"),
            [new DicomFragment(Hex("010203")), new DicomFragment(Hex("04050607"))]);
        var bytes = Encode(Dataset(fragments), TransferSyntax.JpegBaseline8Bit);
        bytes.Should().Equal(Hex(
            "E07F1000 4F42 0000 FFFFFFFF | FEFF00E0 04000000 00000000 | FEFF00E0 04000000 01020300 | FEFF00E0 04000000 04050607 | FEFFDDE0 00000000"));
    }

    [Test]
    public void Write_FragmentsWithEmptyOffsetTable_EmptyFirstItem()
    {
        var fragments = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty, [new DicomFragment(Hex("AABB"))]);
        var bytes = Encode(Dataset(fragments), TransferSyntax.RleLossless);
        bytes.Should().Equal(Hex("E07F1000 4F42 0000 FFFFFFFF | FEFF00E0 00000000 | FEFF00E0 02000000 AABB | FEFFDDE0 00000000"));
    }

    [Test]
    public void Write_FragmentsIntoNativeSyntax_NotSupported()
    {
        var fragments = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, ReadOnlyMemory<byte>.Empty, [new DicomFragment(Hex("AABB"))]);
        var act = () => Encode(Dataset(fragments), TransferSyntax.ExplicitVRLittleEndian);
        act.Should().Throw<NotSupportedException>().WithMessage("*codec*");
    }

    [Test]
    public void Write_NativePixelDataIntoEncapsulatedSyntax_NotSupported()
    {
        var act = () => Encode(Dataset(Value(0x7FE0, 0x0010, DicomVR.OW, 1, 2)), TransferSyntax.JpegBaseline8Bit);
        act.Should().Throw<NotSupportedException>().WithMessage("*codec*");
    }
}
