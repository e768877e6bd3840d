using DicomArchive.Dicom;
using DicomArchive.Dicom.Json;

namespace DicomArchive.Service.Tests.Support;

/// <summary>Compares what the archive stored with what was sent.</summary>
internal static class StoredFiles
{
    private static readonly DicomReaderOptions MetaOnly = DicomReaderOptions.FileMetaInformationOnly;

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
    /// True when the stored file holds the same data set as the original, in the same transfer syntax: the same
    /// elements with the same values. Not the same bytes: senders such as storescu re-encode on the way (group
    /// lengths, sequence length forms); the archive keeps exactly what it received, which other tests check bytewise.
    /// </summary>
    public static async Task<bool> SameDataSetAsync(string original, string stored)
    {
        var a = await DicomFileReader.OpenAsync(original);
        var b = await DicomFileReader.OpenAsync(stored);
        return a.TransferSyntax.Equals(b.TransferSyntax) && Normalise(a.Dataset) == Normalise(b.Dataset);
    }

    /// <summary>
    /// True when two files hold the same elements with the same values, whatever their transfer syntaxes: what a
    /// conversion between the uncompressed syntaxes must preserve.
    /// </summary>
    public static async Task<bool> SameElementsAsync(string original, string received)
    {
        var a = await DicomFileReader.OpenAsync(original);
        var b = await DicomFileReader.OpenAsync(received);
        return Normalise(a.Dataset) == Normalise(b.Dataset);
    }

    /// <summary>
    /// Differences a sender may make without changing a value: Data Set Trailing Padding (FFFC,FFFC) may be dropped
    /// (PS3.5 7.7); encapsulated Pixel Data is OB (PS3.5 A.4), and some files say OW.
    /// </summary>
    private static string Normalise(DicomDataset dataset)
    {
        dataset.Remove(new DicomTag(0xFFFC, 0xFFFC));
        return DicomJsonWriter.ToJson(dataset, indented: false).Replace("\"7FE00010\":{\"vr\":\"OW\"", "\"7FE00010\":{\"vr\":\"OB\"", StringComparison.Ordinal);
    }
}
