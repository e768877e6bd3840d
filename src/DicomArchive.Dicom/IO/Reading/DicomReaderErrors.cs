using System.Diagnostics.CodeAnalysis;

namespace DicomArchive.Dicom;

/// <summary>The one place where decode statuses and reader checks become <see cref="DicomContentException"/>.</summary>
internal static class DicomReaderErrors
{
    public static void ThrowIfFailed(ElementHeaderStatus status, ReadOnlySpan<byte> header, long offset)
    {
        switch (status)
        {
            case ElementHeaderStatus.Ok:
                return;
            case ElementHeaderStatus.NeedMoreData:
                Throw("The data ends inside an element header", offset);
                break;
            case ElementHeaderStatus.UnknownVR:
                Throw($"Unknown value representation bytes {header[4]:X2} {header[5]:X2} in explicit VR element header", offset);
                break;
            default:
                Throw($"Invalid element header ({status})", offset);
                break;
        }
    }

    [DoesNotReturn]
    public static void Throw(string reason, long offset, Exception? inner = null) =>
        throw new DicomContentException(reason, offset, inner);

    [DoesNotReturn]
    public static void ThrowTruncated(long offset) => Throw("Unexpected end of data", offset);

    [DoesNotReturn]
    public static void ThrowLengthBeyondEnd(DicomTag tag, long length, long remaining, long offset) =>
        Throw($"Element {tag} declares length {length}, larger than the {remaining} bytes that remain", offset);
}
