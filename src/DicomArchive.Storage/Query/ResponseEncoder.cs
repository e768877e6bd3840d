using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DicomArchive.Dicom;
using SQLitePCL;

namespace DicomArchive.Storage.Query;

/// <summary>
/// Encodes C-FIND response identifiers straight from index rows into Explicit or Implicit VR Little Endian, with the
/// same bytes <see cref="ResponseBuilder"/> and <see cref="DicomDatasetWriter"/> produce (tests compare the two), but
/// without a data set, a string per value or an encoder per response. Built once per query from its plan; used only
/// when every requested key comes from the index (no stored file is read) and no empty sequence is returned.
/// </summary>
internal sealed class ResponseEncoder
{
    /// <summary>PS3.5 6.1.2.5.3: the value of Specific Character Set when a response holds non-ASCII text.</summary>
    private static readonly byte[] Utf8Term = "ISO_IR 192"u8.ToArray();

    private readonly Item[] items;
    private readonly bool explicitVR;
    private readonly bool constantNonAscii;
    private readonly bool characterSetRequested;
    private readonly ArrayBufferWriter<byte> body = new(1024);

    private ResponseEncoder(Item[] items, bool explicitVR, bool constantNonAscii, bool characterSetRequested)
    {
        this.items = items;
        this.explicitVR = explicitVR;
        this.constantNonAscii = constantNonAscii;
        this.characterSetRequested = characterSetRequested;
    }

    /// <summary>The encoder for a plan, or null when the plan needs the data set path (file keys, sequences, other syntaxes).</summary>
    public static ResponseEncoder? TryCreate(QueryPlan plan, string retrieveAeTitle, TransferSyntax syntax)
    {
        if (plan.FileKeys.Count > 0 || syntax.IsDeflated || !syntax.IsLittleEndian || syntax.IsEncapsulated)
        {
            return null;
        }

        var list = new List<Item>(plan.IndexColumns.Count + plan.EmptyKeys.Count + 3);
        var nonAscii = false;
        list.Add(Constant(DicomTag.QueryRetrieveLevel, DicomVR.CS, plan.Level.ToCode(), ref nonAscii));
        list.Add(Constant(DicomTag.RetrieveAETitle, DicomVR.AE, retrieveAeTitle, ref nonAscii));
        // PS3.4 C.4.1.1.3.2: every instance is on line storage.
        list.Add(Constant(DicomTag.InstanceAvailability, DicomVR.CS, "ONLINE", ref nonAscii));
        foreach (var (key, ordinal) in plan.IndexColumns)
        {
            list.Add(new Item(key.Tag, key.Vr, ItemKind.Column, null, ordinal, key.Kind));
        }

        foreach (var element in plan.EmptyKeys)
        {
            if (element is DicomSequence || element.VR == DicomVR.SQ)
            {
                return null;
            }

            list.Add(new Item(element.Tag, element.VR, ItemKind.Constant, [], -1, QueryKeyKind.Text));
        }

        list.Sort(static (a, b) => a.Tag.CompareTo(b.Tag));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Tag == list[i - 1].Tag)
            {
                return null; // never expected; the data set path resolves it
            }
        }

        return new ResponseEncoder([.. list], syntax.IsExplicitVR, nonAscii, plan.CharacterSetRequested);
    }

    /// <summary>The encoded identifier of the current row of <paramref name="row"/>.</summary>
    public byte[] Encode(IndexStatement row)
    {
        body.ResetWrittenCount();
        var nonAscii = constantNonAscii;
        foreach (var item in items)
        {
            if (item.Kind == ItemKind.Constant)
            {
                WriteElement(item.Tag, item.VR, item.Value!);
            }
            else
            {
                WriteColumn(row, item, ref nonAscii);
            }
        }

        // Specific Character Set (0008,0005) sorts before every other key of a response.
        ReadOnlySpan<byte> characterSet = nonAscii ? Utf8Term : default;
        var withCharacterSet = nonAscii || characterSetRequested;
        var headerLength = withCharacterSet ? 8 : 0;
        var result = new byte[headerLength + characterSet.Length + body.WrittenCount];
        if (withCharacterSet)
        {
            WriteHeader(result, DicomTag.SpecificCharacterSet, DicomVR.CS, characterSet.Length);
            characterSet.CopyTo(result.AsSpan(headerLength));
        }

        body.WrittenSpan.CopyTo(result.AsSpan(headerLength + characterSet.Length));
        return result;
    }

    private void WriteColumn(IndexStatement row, Item item, ref bool nonAscii)
    {
        var type = row.ColumnType(item.Ordinal);
        if (type == raw.SQLITE_NULL)
        {
            WriteElement(item.Tag, item.VR, item.Source == QueryKeyKind.Count ? "0"u8 : default);
            return;
        }

        if (type == raw.SQLITE_INTEGER)
        {
            Span<byte> digits = stackalloc byte[24];
            row.ColumnInt64(item.Ordinal).TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
            WriteElement(item.Tag, item.VR, digits[..written]);
            return;
        }

        if (type == raw.SQLITE_FLOAT)
        {
            WriteText(item, row.ColumnDouble(item.Ordinal).ToString(CultureInfo.InvariantCulture), ref nonAscii);
            return;
        }

        var bytes = row.ColumnBytes(item.Ordinal);
        if (!Ascii.IsValid(bytes))
        {
            // Rare: text beyond ASCII goes through a string, like the data set path (Latin-1 for VRs outside the
            // Specific Character Set's reach, PS3.5 6.1.2.3; UTF-8 otherwise).
            WriteText(item, Encoding.UTF8.GetString(bytes), ref nonAscii);
            return;
        }

        if (item.Source == QueryKeyKind.SopClassesInStudy && bytes.Contains((byte)','))
        {
            // group_concat separates with ',' (no UID holds one); DICOM values with '\' (PS3.5 6.4).
            var copy = bytes.ToArray();
            copy.AsSpan().Replace((byte)',', (byte)'\\');
            WriteElement(item.Tag, item.VR, copy);
            return;
        }

        WriteElement(item.Tag, item.VR, bytes);
    }

    private void WriteText(Item item, string text, ref bool nonAscii)
    {
        if (item.Source == QueryKeyKind.SopClassesInStudy)
        {
            text = text.Replace(',', '\\');
        }

        WriteElement(item.Tag, item.VR, EncodeText(text, item.VR, ref nonAscii));
    }

    /// <summary>The value as ResponseBuilder encodes it: UTF-8 where Specific Character Set applies, else Latin-1.</summary>
    private static byte[] EncodeText(string text, DicomVR vr, ref bool nonAscii)
    {
        if (text.Length == 0)
        {
            return [];
        }

        nonAscii |= !Ascii.IsValid(text);
        return DicomCharacterSet.Utf8.Encode(text, vr);
    }

    /// <summary>PS3.5 7.1.2 / 7.1.3 header, then the value padded to even length (PS3.5 6.2).</summary>
    private void WriteElement(DicomTag tag, DicomVR vr, ReadOnlySpan<byte> value)
    {
        var padded = value.Length + (value.Length & 1);
        var headerLength = explicitVR && DicomVRInfo.HasLongExplicitLength(vr) ? 12 : 8;
        var span = body.GetSpan(headerLength + padded);
        WriteHeader(span, tag, vr, padded);
        value.CopyTo(span[headerLength..]);
        if (padded != value.Length)
        {
            span[headerLength + value.Length] = DicomVRInfo.PaddingByte(vr);
        }

        body.Advance(headerLength + padded);
    }

    private void WriteHeader(Span<byte> span, DicomTag tag, DicomVR vr, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], tag.Element);
        if (!explicitVR)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
            return;
        }

        span[4] = (byte)((ushort)vr >> 8);
        span[5] = (byte)vr;
        if (DicomVRInfo.HasLongExplicitLength(vr))
        {
            span[6] = 0;
            span[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)length);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[6..], (ushort)length);
        }
    }

    private static Item Constant(DicomTag tag, DicomVR vr, string value, ref bool nonAscii) =>
        new(tag, vr, ItemKind.Constant, EncodeText(value, vr, ref nonAscii), -1, QueryKeyKind.Text);

    private enum ItemKind
    {
        Constant,
        Column,
    }

    /// <summary>One element of every response: a constant value, or a column of the row.</summary>
    private sealed record Item(DicomTag Tag, DicomVR VR, ItemKind Kind, byte[]? Value, int Ordinal, QueryKeyKind Source);
}
