using DicomArchive.Dicom;
using DicomArchive.Dicom.Json;

namespace DicomArchive.Service.Tests.Support;

/// <summary>Compares what the archive stored with what was sent.</summary>
internal static class StoredFiles
{
    private static readonly DicomReaderOptions MetaOnly = new() { StopBeforeTag = new DicomTag(0x0000, 0x0000) };

    /// <summary>The meta information of a Part 10 file and the bytes of its data set (everything after the meta group).</summary>
    public static async Task<(DicomDataset Meta, byte[] DataSet)> SplitAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        var file = await DicomFileReader.ReadAsync(stream, MetaOnly);
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest);
        return (file.FileMetaInformation, rest.ToArray());
    }

    /// <summary>The stored file of an instance, found by its SOP Instance UID file name.</summary>
    public static string? Find(string storageRoot, string sopInstanceUid) =>
        Directory.EnumerateFiles(storageRoot, sopInstanceUid + ".dcm", SearchOption.AllDirectories).FirstOrDefault();

    /// <summary>
    /// True when the stored file holds the same data set as the original: the same bytes when both are in the same
    /// transfer syntax, else the same elements (the sender converted between uncompressed syntaxes).
    /// </summary>
    public static async Task<bool> SameDataSetAsync(string original, string stored)
    {
        var (originalMeta, originalBytes) = await SplitAsync(original);
        var (storedMeta, storedBytes) = await SplitAsync(stored);
        var originalSyntax = originalMeta.GetString(DicomTag.TransferSyntaxUID);
        var storedSyntax = storedMeta.GetString(DicomTag.TransferSyntaxUID);
        if (originalSyntax == storedSyntax)
        {
            // Senders may drop trailing padding after the last element; compare the data set proper.
            return originalBytes.AsSpan().TrimEnd((byte)0).SequenceEqual(storedBytes.AsSpan().TrimEnd((byte)0));
        }

        var a = DicomJsonWriter.ToJson((await DicomFileReader.OpenAsync(original)).Dataset, indented: false);
        var b = DicomJsonWriter.ToJson((await DicomFileReader.OpenAsync(stored)).Dataset, indented: false);
        return a == b;
    }
}
