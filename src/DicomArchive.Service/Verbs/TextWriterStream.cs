using System.Text;

namespace DicomArchive.Service.Verbs;

/// <summary>A write-only stream that decodes UTF-8 bytes into a <see cref="TextWriter"/>, so a Utf8JsonWriter can write to stdout.</summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    private readonly Decoder decoder = new UTF8Encoding(false).GetDecoder();
    // UTF-8 never decodes to more chars than bytes (plus one pending surrogate pair from the previous slice).
    private readonly char[] chars = new char[(16 * 1024) + 2];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // In slices, so the char buffer stays small however large one write is.
        const int Slice = 16 * 1024;
        while (!buffer.IsEmpty)
        {
            var part = buffer[..Math.Min(Slice, buffer.Length)];
            var written = decoder.GetChars(part, chars, flush: false);
            writer.Write(chars, 0, written);
            buffer = buffer[part.Length..];
        }
    }

    public override void Flush() => writer.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
