using System.Buffers.Binary;
using System.Globalization;

namespace DicomArchive.Dicom;

/// <summary>Typed setters: each encodes a .NET value into value bytes of the given (or dictionary) VR, padded to even length.</summary>
public sealed partial class DicomDataset
{
    /// <summary>Sets a string element; several values are joined with backslash (PS3.5 6.4). The VR defaults to the dictionary's.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!DicomVRInfo.IsString(vr))
        {
            throw new ArgumentException($"{DicomVRInfo.Name(vr)} is not a string VR; use a typed overload.", nameof(vr));
        }

        var text = string.Join('\\', values);
        var charset = tag == DicomTag.SpecificCharacterSet ? DicomCharacterSet.Default : CharacterSet;
        var encoded = charset.Encode(text, vr);
        Add(new DicomValueElement(tag, vr, Pad(encoded, vr)));
        return this;
    }

    /// <summary>Sets a string element with the VR from the dictionary.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params string[] values) => AddOrUpdate(tag, DicomDictionary.GetVR(tag), values);

    /// <summary>Sets a binary integer element (US, SS, UL, SL, SV, UV) or an IS element.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (vr is DicomVR.IS or DicomVR.DS)
        {
            var strings = Array.ConvertAll(values, v => v.ToString(CultureInfo.InvariantCulture));
            return AddOrUpdate(tag, vr, strings);
        }

        var size = DicomVRInfo.FixedValueSize(vr);
        if (size == 0 || vr is DicomVR.FL or DicomVR.FD or DicomVR.AT)
        {
            throw new ArgumentException($"{DicomVRInfo.Name(vr)} does not hold integers.", nameof(vr));
        }

        var bytes = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            var span = bytes.AsSpan(i * size, size);
            switch (vr)
            {
                case DicomVR.US: BinaryPrimitives.WriteUInt16LittleEndian(span, checked((ushort)values[i])); break;
                case DicomVR.SS: BinaryPrimitives.WriteInt16LittleEndian(span, checked((short)values[i])); break;
                case DicomVR.UL: BinaryPrimitives.WriteUInt32LittleEndian(span, checked((uint)values[i])); break;
                case DicomVR.SL: BinaryPrimitives.WriteInt32LittleEndian(span, checked((int)values[i])); break;
                case DicomVR.SV: BinaryPrimitives.WriteInt64LittleEndian(span, values[i]); break;
                case DicomVR.UV: BinaryPrimitives.WriteUInt64LittleEndian(span, checked((ulong)values[i])); break;
            }
        }

        Add(new DicomValueElement(tag, vr, bytes));
        return this;
    }

    /// <summary>Sets an FL, FD or DS element.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (vr == DicomVR.DS)
        {
            return AddOrUpdate(tag, vr, Array.ConvertAll(values, v => v.ToString("G12", CultureInfo.InvariantCulture)));
        }

        var size = vr switch { DicomVR.FL or DicomVR.OF => 4, DicomVR.FD or DicomVR.OD => 8, _ => 0 };
        if (size == 0)
        {
            throw new ArgumentException($"{DicomVRInfo.Name(vr)} does not hold floating point numbers.", nameof(vr));
        }

        var bytes = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            if (size == 4)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), (float)values[i]);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
            }
        }

        Add(new DicomValueElement(tag, vr, bytes));
        return this;
    }

    /// <summary>Sets a DA element.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DateOnly date) =>
        AddOrUpdate(tag, DicomVR.DA, date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));

    /// <summary>Sets a TM element (microsecond precision, PS3.5 6.2).</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, TimeOnly time) =>
        AddOrUpdate(tag, DicomVR.TM, time.ToString("HHmmss.ffffff", CultureInfo.InvariantCulture));

    /// <summary>Sets an AT element.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params DicomTag[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), values[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((i * 4) + 2), values[i].Element);
        }

        Add(new DicomValueElement(tag, DicomVR.AT, bytes));
        return this;
    }

    /// <summary>Sets an element from little-endian value bytes (OB, OW, UN and others); odd lengths are padded.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes)
    {
        Add(new DicomValueElement(tag, vr, (bytes.Length & 1) == 1 ? Pad(bytes.ToArray(), vr) : bytes));
        return this;
    }

    /// <summary>Sets a sequence.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params DicomDataset[] items)
    {
        var sequence = new DicomSequence(tag, items);
        foreach (var item in sequence.Items)
        {
            item.FallbackCharacterSet = CharacterSet;
        }

        Add(sequence);
        return this;
    }

    private static byte[] Pad(byte[] value, DicomVR vr)
    {
        if ((value.Length & 1) == 0)
        {
            return value;
        }

        var padded = new byte[value.Length + 1];
        value.CopyTo(padded, 0);
        padded[^1] = DicomVRInfo.PaddingByte(vr);
        return padded;
    }
}
