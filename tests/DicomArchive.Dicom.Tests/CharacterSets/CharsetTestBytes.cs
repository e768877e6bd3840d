using System.Text;

namespace DicomArchive.Dicom.Tests.CharacterSets;

/// <summary>Byte vectors written as Latin-1 strings ("\u001b$B" = ESC $ B) so the escape sequences stay readable.</summary>
internal static class CharsetTestBytes
{
    public static byte[] Of(string latin1) => Encoding.Latin1.GetBytes(latin1);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static DicomCharacterSet Set(params string[] terms) => DicomCharacterSet.FromTerms(terms);
}
