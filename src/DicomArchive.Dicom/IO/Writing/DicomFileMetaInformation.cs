namespace DicomArchive.Dicom;

/// <summary>The File Meta Information of a DICOM file (PS3.10 7.1): the group 0002 elements in front of the data set.</summary>
public static class DicomFileMetaInformation
{
    /// <summary>
    /// The meta information of a file holding an instance of <paramref name="sopClassUid"/> encoded in
    /// <paramref name="syntax"/>, written by this implementation; (0002,0000) is computed when written.
    /// </summary>
    /// <param name="sopClassUid">The SOP Class UID (0008,0016) of the data set.</param>
    /// <param name="sopInstanceUid">The SOP Instance UID (0008,0018) of the data set.</param>
    /// <param name="syntax">The transfer syntax the data set is encoded in.</param>
    /// <param name="sourceAeTitle">The AE title of the sender the data set was received from, or null (PS3.10 7.1).</param>
    public static DicomDataset Create(string sopClassUid, string sopInstanceUid, TransferSyntax syntax, string? sourceAeTitle = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sopClassUid);
        ArgumentException.ThrowIfNullOrWhiteSpace(sopInstanceUid);
        ArgumentNullException.ThrowIfNull(syntax);
        var meta = new DicomDataset();
        meta.AddOrUpdate(DicomTag.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        meta.AddOrUpdate(DicomTag.MediaStorageSOPClassUID, DicomVR.UI, sopClassUid);
        meta.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        meta.AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, syntax.Uid);
        meta.AddOrUpdate(DicomTag.ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid);
        meta.AddOrUpdate(DicomTag.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
        if (!string.IsNullOrWhiteSpace(sourceAeTitle))
        {
            meta.AddOrUpdate(DicomTag.SourceApplicationEntityTitle, DicomVR.AE, sourceAeTitle.Trim());
        }

        return meta;
    }

    /// <summary>
    /// The meta information to write for <paramref name="file"/> encoded in <paramref name="syntax"/>: the file's
    /// own elements, completed with what PS3.10 7.1 requires; the transfer syntax and the implementation identity
    /// are always this writer's, as they describe the bytes written.
    /// </summary>
    /// <exception cref="ArgumentException">Neither the meta information nor the data set names the SOP class and instance.</exception>
    internal static DicomDataset Complete(DicomFile file, TransferSyntax syntax)
    {
        var meta = new DicomDataset();
        foreach (var element in file.FileMetaInformation)
        {
            if (element.Tag.Group == 0x0002 && !element.Tag.IsGroupLength)
            {
                meta.Add(element);
            }
        }

        if (!meta.Contains(DicomTag.FileMetaInformationVersion))
        {
            meta.AddOrUpdate(DicomTag.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        }

        CopyUid(file.Dataset, DicomTag.SOPClassUID, meta, DicomTag.MediaStorageSOPClassUID);
        CopyUid(file.Dataset, DicomTag.SOPInstanceUID, meta, DicomTag.MediaStorageSOPInstanceUID);
        meta.AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, syntax.Uid);
        meta.AddOrUpdate(DicomTag.ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid);
        meta.AddOrUpdate(DicomTag.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
        return meta;
    }

    private static void CopyUid(DicomDataset dataset, DicomTag from, DicomDataset meta, DicomTag to)
    {
        if (meta.TryGetString(to, out var existing) && existing.Length > 0)
        {
            return;
        }

        if (!dataset.TryGetString(from, out var uid) || uid.Length == 0)
        {
            throw new ArgumentException(
                $"The file has no {to} in its meta information and its data set has no {from} to take it from (PS3.10 7.1).",
                nameof(dataset));
        }

        meta.AddOrUpdate(to, DicomVR.UI, uid);
    }
}
