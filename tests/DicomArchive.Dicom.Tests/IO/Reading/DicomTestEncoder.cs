using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace DicomArchive.Dicom.Tests.IO.Reading;

/// <summary>Builds encoded data elements byte by byte for reader tests (PS3.5 7.1), independent of the library's writer.</summary>
internal sealed class DicomTestEncoder(bool explicitVR = true, bool littleEndian = true)
{
    private readonly MemoryStream bytes = new();

    public int Length => (int)bytes.Length;

    public DicomTestEncoder Header(ushort group, ushort element, string? vr, uint length)
    {
        U16(group);
        U16(element);
        if (explicitVR && group != 0xFFFE && vr is not null)
        {
            bytes.WriteByte((byte)vr[0]);
            bytes.WriteByte((byte)vr[1]);
            DicomVRInfo.TryParse(vr, out var parsed);
            if (parsed == DicomVR.None || DicomVRInfo.HasLongExplicitLength(parsed))
            {
                U16(0);
                U32(length);
            }
            else
            {
                U16((ushort)length);
            }
        }
        else
        {
            U32(length);
        }

        return this;
    }

    public DicomTestEncoder Element(ushort group, ushort element, string? vr, ReadOnlySpan<byte> value)
    {
        Header(group, element, vr, (uint)value.Length);
        bytes.Write(value);
        return this;
    }

    public DicomTestEncoder Text(ushort group, ushort element, string? vr, string value) =>
        Element(group, element, vr, Encoding.ASCII.GetBytes(value));

    /// <summary>A US element; the number is written in this encoder's byte order.</summary>
    public DicomTestEncoder UnsignedShort(ushort group, ushort element, ushort value)
    {
        Header(group, element, "US", 2);
        U16(value);
        return this;
    }

    public DicomTestEncoder Item(uint length = DicomElementHeader.UndefinedLength) => Header(0xFFFE, 0xE000, null, length);

    public DicomTestEncoder ItemDelimiter() => Header(0xFFFE, 0xE00D, null, 0);

    public DicomTestEncoder SequenceDelimiter() => Header(0xFFFE, 0xE0DD, null, 0);

    public DicomTestEncoder Raw(ReadOnlySpan<byte> raw)
    {
        bytes.Write(raw);
        return this;
    }

    public DicomTestEncoder U16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        if (littleEndian)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, value);
        }

        bytes.Write(b);
        return this;
    }

    public DicomTestEncoder U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        if (littleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
        }

        bytes.Write(b);
        return this;
    }

    public byte[] ToArray() => bytes.ToArray();

    /// <summary>A Part 10 file: preamble, DICM, a meta header naming <paramref name="transferSyntaxUid"/>, then the data set bytes.</summary>
    public static byte[] Part10(byte[] dataset, string? transferSyntaxUid, bool preamble = true, bool groupLength = true)
    {
        var meta = new DicomTestEncoder();
        meta.Element(0x0002, 0x0001, "OB", [0, 1]);
        meta.Text(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.7\0");
        meta.Text(0x0002, 0x0003, "UI", "1.2.3.4\0");
        if (transferSyntaxUid is not null)
        {
            meta.Text(0x0002, 0x0010, "UI", (transferSyntaxUid.Length & 1) == 1 ? transferSyntaxUid + "\0" : transferSyntaxUid);
        }

        var metaBytes = meta.ToArray();
        var file = new MemoryStream();
        if (preamble)
        {
            file.Write(new byte[128]);
            file.Write("DICM"u8);
        }

        if (groupLength)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)metaBytes.Length);
            file.Write(new DicomTestEncoder().Element(0x0002, 0x0000, "UL", length).ToArray());
        }

        file.Write(metaBytes);
        file.Write(dataset);
        return file.ToArray();
    }

    /// <summary>Raw deflate (RFC 1951), as PS3.5 A.5 requires.</summary>
    public static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return output.ToArray();
    }
}

/// <summary>A stream that hides its seekability, like a network stream.</summary>
internal sealed class NonSeekableStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
