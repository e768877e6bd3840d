using System.Text;
using DicomArchive.Service.Verbs;

namespace DicomArchive.Service.Tests.Verbs;

public sealed class TextWriterStreamTests
{
    [Test]
    public void Write_MultiByteCharacterSplitAcrossWrites_DecodedWhole()
    {
        var bytes = Encoding.UTF8.GetBytes("山田^太郎 Grüße");
        using var text = new StringWriter();
        using (var stream = new TextWriterStream(text))
        {
            // Byte by byte: every multi-byte sequence is cut.
            foreach (var b in bytes)
            {
                stream.Write([b]);
            }
        }

        text.ToString().Should().Be("山田^太郎 Grüße");
    }

    [Test]
    public void Write_LargerThanItsBuffer_AllText()
    {
        var expected = new string('x', 100_000);
        using var text = new StringWriter();
        using (var stream = new TextWriterStream(text))
        {
            stream.Write(Encoding.UTF8.GetBytes(expected));
        }

        text.ToString().Should().Be(expected);
    }
}
