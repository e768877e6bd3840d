using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using DicomArchive.Dicom;

namespace DicomArchive.Storage.Files;

/// <summary>
/// The Part 10 prefix of a stored file, made from the C-STORE context: the preamble, "DICM" and the File Meta
/// Information (PS3.10 7.1: SOP Class/Instance from the command, the presentation context's transfer syntax, our
/// implementation identity, the caller as Source AE Title). The data set bytes received follow it unchanged.
/// </summary>
/// <remarks>
/// Every instance of a series shares all of it but the SOP Instance UID, so the encoded prefix is kept per SOP class,
/// transfer syntax, calling AE title and UID length, and each instance copies it and writes its own UID into the
/// (0002,0003) value: the group length and every offset depend only on that length. Building it through the data set
/// writer each time was about 2% of the server's CPU per small instance.
/// </remarks>
internal static class FileMetaHeader
{
    // Bounded: a hostile caller could vary the key (AE titles, odd UIDs) without end.
    private const int MaxTemplates = 256;

    private static readonly ConcurrentDictionary<TemplateKey, Template> Templates = new();

    public static byte[] Build(StoreContext context)
    {
        if (!Ascii.IsValid(context.SopInstanceUid))
        {
            // Not a UID (a hostile command): encoded as it comes, its byte count may differ from its length.
            return Encode(context, context.SopInstanceUid);
        }

        var key = new TemplateKey(context.SopClassUid, context.TransferSyntaxUid, context.CallingAe, context.SopInstanceUid.Length);
        if (!Templates.TryGetValue(key, out var template))
        {
            template = Template.Create(context);
            if (Templates.Count >= MaxTemplates)
            {
                Templates.Clear();
            }

            Templates.TryAdd(key, template);
        }

        if (template.UidOffset < 0)
        {
            return Encode(context, context.SopInstanceUid);
        }

        var bytes = template.Bytes.ToArray();
        // UI values are padded with NUL to even length (PS3.5 6.2); the template's padding is already in place.
        Encoding.ASCII.GetBytes(context.SopInstanceUid, bytes.AsSpan(template.UidOffset, context.SopInstanceUid.Length));
        return bytes;
    }

    private static byte[] Encode(StoreContext context, string sopInstanceUid)
    {
        var meta = DicomFileMetaInformation.Create(
            context.SopClassUid, sopInstanceUid, TransferSyntax.Lookup(context.TransferSyntaxUid), context.CallingAe);
        var output = new ArrayBufferWriter<byte>(256);
        DicomFileWriter.WriteFileHeader(output, meta);
        return output.WrittenSpan.ToArray();
    }

    private readonly record struct TemplateKey(string SopClassUid, string TransferSyntaxUid, string CallingAe, int UidLength);

    /// <summary>An encoded prefix and where its (0002,0003) value starts (-1 when it cannot be patched).</summary>
    private sealed record Template(byte[] Bytes, int UidOffset)
    {
        public static Template Create(StoreContext context)
        {
            // A placeholder of the same length: only digits, so it encodes to the same number of bytes as a real UID.
            var placeholder = new string('9', context.SopInstanceUid.Length);
            var bytes = Encode(context, placeholder);
            return new Template(bytes, FindUidValue(bytes, placeholder));
        }

        /// <summary>The offset of the (0002,0003) UI value holding <paramref name="placeholder"/>, or -1.</summary>
        private static int FindUidValue(byte[] bytes, string placeholder)
        {
            // Explicit VR little endian (PS3.10 7.1): tag (0002,0003), "UI", a 2-byte length, then the value.
            ReadOnlySpan<byte> header = [0x02, 0x00, 0x03, 0x00, (byte)'U', (byte)'I'];
            var at = bytes.AsSpan().IndexOf(header);
            if (at < 0 || at + 8 + placeholder.Length > bytes.Length)
            {
                return -1;
            }

            var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 6));
            var value = at + 8;
            return length >= placeholder.Length && bytes.AsSpan(value, placeholder.Length).IndexOfAnyExcept((byte)'9') < 0 ? value : -1;
        }
    }
}
