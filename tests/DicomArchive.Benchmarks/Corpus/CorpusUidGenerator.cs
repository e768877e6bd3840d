using System.Globalization;
using System.Numerics;

namespace DicomArchive.Benchmarks.Corpus;

/// <summary>
/// UIDs for a generated corpus. <see cref="Dicom.DicomImplementation.NewUid"/> draws from a GUID and so differs
/// on every run; a corpus must be reproducible from its seed, so the same 2.25 form (PS3.5 B.2: the decimal value
/// of a 128-bit UUID) is built here from a seeded generator, with the version 4 and variant bits of RFC 9562 set.
/// </summary>
public sealed class CorpusUidGenerator(Random random)
{
    private readonly byte[] bytes = new byte[16];

    public string Next()
    {
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return "2.25." + new BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
    }
}
