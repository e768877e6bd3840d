using DicomArchive.Dicom;
using DicomArchive.Storage.Index;

namespace DicomArchive.Storage.Header;

/// <summary>The top-level attributes the index holds, and how they become an <see cref="InstanceRecord"/>.</summary>
internal static class IndexedAttributes
{
    /// <summary>The index record for a header, with the file facts the caller knows.</summary>
    public static InstanceRecord ToRecord(DicomDataset header, DicomCharacterSet defaultCharacterSet, FileFacts file)
    {
        // PS3.5 K.1 / many modalities: no (0008,0005) means the configured default, not strictly ASCII.
        header.FallbackCharacterSet = defaultCharacterSet;
        return new InstanceRecord
        {
            PatientId = Text(header, DicomTag.PatientID),
            IssuerOfPatientId = Text(header, DicomTag.IssuerOfPatientID),
            PatientName = Text(header, DicomTag.PatientName),
            PatientBirthDate = Text(header, DicomTag.PatientBirthDate),
            PatientSex = Text(header, DicomTag.PatientSex),
            StudyInstanceUid = Text(header, DicomTag.StudyInstanceUID),
            StudyDate = Text(header, DicomTag.StudyDate),
            StudyTime = Text(header, DicomTag.StudyTime),
            AccessionNumber = Text(header, DicomTag.AccessionNumber),
            StudyId = Text(header, DicomTag.StudyID),
            StudyDescription = Text(header, DicomTag.StudyDescription),
            ReferringPhysicianName = Text(header, DicomTag.ReferringPhysicianName),
            SeriesInstanceUid = Text(header, DicomTag.SeriesInstanceUID),
            Modality = Text(header, DicomTag.Modality),
            SeriesNumber = header.TryGetInt32(DicomTag.SeriesNumber, out var seriesNumber) ? seriesNumber : null,
            SeriesDescription = Text(header, DicomTag.SeriesDescription),
            BodyPartExamined = Text(header, DicomTag.BodyPartExamined),
            SeriesDate = Text(header, DicomTag.SeriesDate),
            SeriesTime = Text(header, DicomTag.SeriesTime),
            SopInstanceUid = Text(header, DicomTag.SOPInstanceUID),
            SopClassUid = Text(header, DicomTag.SOPClassUID),
            InstanceNumber = header.TryGetInt32(DicomTag.InstanceNumber, out var instanceNumber) ? instanceNumber : null,
            SpecificCharacterSet = Text(header, DicomTag.SpecificCharacterSet),
            FilePath = file.RelativePath,
            FileSize = file.Size,
            TransferSyntaxUid = file.TransferSyntaxUid,
            ContentHash = file.ContentHash,
            CallingAe = file.CallingAe,
            CalledAe = file.CalledAe,
            RemoteAddress = file.RemoteAddress,
            ReceivedAt = file.ReceivedAt,
        };
    }

    private static string Text(DicomDataset header, DicomTag tag)
    {
        try
        {
            return header.TryGetString(tag, out var value) ? value.Trim().TrimEnd('\0') : "";
        }
        catch (DicomContentException)
        {
            // An undecodable value is indexed as empty rather than refusing the instance; the file keeps the bytes.
            return "";
        }
    }
}

/// <summary>What is known about a stored file apart from its data set.</summary>
internal sealed record FileFacts(
    string RelativePath,
    long Size,
    string TransferSyntaxUid,
    string ContentHash,
    string CallingAe,
    string CalledAe,
    string RemoteAddress,
    DateTimeOffset ReceivedAt);
