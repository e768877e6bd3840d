using System.Text;

namespace DicomArchive.Dicom;

/// <summary>
/// Decodes and encodes the character data of a data set per its Specific Character Set (0008,0005) (PS3.5 6.1).
/// PLACEHOLDER: only the default repertoire and ISO_IR 192; the character set work replaces this file.
/// </summary>
public sealed class DicomCharacterSet
{
    private readonly Encoding encoding;

    private DicomCharacterSet(IReadOnlyList<string> terms, Encoding encoding)
    {
        Terms = terms;
        this.encoding = encoding;
    }

    /// <summary>The default repertoire (ISO IR 6, ASCII) used when (0008,0005) is absent.</summary>
    public static DicomCharacterSet Default { get; } = new([], Encoding.Latin1);

    /// <summary>The defined terms of (0008,0005) this set was made from.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>The character set for the values of Specific Character Set (0008,0005).</summary>
    public static DicomCharacterSet FromTerms(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return terms.Count > 0 && terms[0] == "ISO_IR 192" ? new DicomCharacterSet(terms, Encoding.UTF8) : new DicomCharacterSet(terms, Encoding.Latin1);
    }

    /// <summary>Decodes a value of a VR (character-set rules apply only to the VRs of PS3.5 6.1.2.3).</summary>
    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr) =>
        DicomVRInfo.UsesSpecificCharacterSet(vr) ? encoding.GetString(bytes) : Encoding.Latin1.GetString(bytes);

    /// <summary>Encodes a value of a VR, without padding.</summary>
    public byte[] Encode(string text, DicomVR vr) =>
        DicomVRInfo.UsesSpecificCharacterSet(vr) ? encoding.GetBytes(text) : Encoding.Latin1.GetBytes(text);
}
