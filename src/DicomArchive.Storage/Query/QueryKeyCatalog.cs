using DicomArchive.Dicom;

namespace DicomArchive.Storage.Query;

/// <summary>
/// The keys the index holds, per level (PS3.4 C.6.1.1.2-5, C.6.2.1.2-4). Any other requested key is returned from the
/// stored file and matched against it (see QueryEngine). Table aliases: p patients, st studies, se series, i instances.
/// </summary>
internal static class QueryKeyCatalog
{
    private static readonly Dictionary<DicomTag, QueryKey> Keys = Build();

    public static bool TryGet(DicomTag tag, out QueryKey key) => Keys.TryGetValue(tag, out key!);

    /// <summary>The unique key of a level (PS3.4 C.6.1.1.2-5).</summary>
    public static QueryKey UniqueKey(QueryLevel level) => level switch
    {
        QueryLevel.Patient => Keys[DicomTag.PatientID],
        QueryLevel.Study => Keys[DicomTag.StudyInstanceUID],
        QueryLevel.Series => Keys[DicomTag.SeriesInstanceUID],
        _ => Keys[DicomTag.SOPInstanceUID],
    };

    private static Dictionary<DicomTag, QueryKey> Build()
    {
        QueryKey[] keys =
        [
            // Patient level
            new(DicomTag.PatientName, "PatientName", DicomVR.PN, QueryLevel.Patient, QueryKeyKind.PersonName, "p.patient_name",
                "p.patient_name_norm"),
            new(DicomTag.PatientID, "PatientID", DicomVR.LO, QueryLevel.Patient, QueryKeyKind.Text, "p.patient_id"),
            new(DicomTag.IssuerOfPatientID, "IssuerOfPatientID", DicomVR.LO, QueryLevel.Patient, QueryKeyKind.Text,
                "p.issuer_of_patient_id"),
            new(DicomTag.PatientBirthDate, "PatientBirthDate", DicomVR.DA, QueryLevel.Patient, QueryKeyKind.DateOrTime,
                "p.patient_birth_date"),
            new(DicomTag.PatientSex, "PatientSex", DicomVR.CS, QueryLevel.Patient, QueryKeyKind.Text, "p.patient_sex"),
            new(DicomTag.NumberOfPatientRelatedStudies, "NumberOfPatientRelatedStudies", DicomVR.IS, QueryLevel.Patient,
                QueryKeyKind.Count, "(SELECT count(*) FROM studies x WHERE x.patient_fk = p.pk)"),
            new(DicomTag.NumberOfPatientRelatedSeries, "NumberOfPatientRelatedSeries", DicomVR.IS, QueryLevel.Patient,
                QueryKeyKind.Count, "(SELECT coalesce(sum(x.number_of_series), 0) FROM studies x WHERE x.patient_fk = p.pk)"),
            new(DicomTag.NumberOfPatientRelatedInstances, "NumberOfPatientRelatedInstances", DicomVR.IS, QueryLevel.Patient,
                QueryKeyKind.Count, "(SELECT coalesce(sum(x.number_of_instances), 0) FROM studies x WHERE x.patient_fk = p.pk)"),

            // Study level
            new(DicomTag.StudyInstanceUID, "StudyInstanceUID", DicomVR.UI, QueryLevel.Study, QueryKeyKind.Uid, "st.study_instance_uid"),
            new(DicomTag.StudyDate, "StudyDate", DicomVR.DA, QueryLevel.Study, QueryKeyKind.DateOrTime, "st.study_date"),
            new(DicomTag.StudyTime, "StudyTime", DicomVR.TM, QueryLevel.Study, QueryKeyKind.DateOrTime, "st.study_time"),
            new(DicomTag.AccessionNumber, "AccessionNumber", DicomVR.SH, QueryLevel.Study, QueryKeyKind.Text, "st.accession_number"),
            new(DicomTag.StudyID, "StudyID", DicomVR.SH, QueryLevel.Study, QueryKeyKind.Text, "st.study_id"),
            new(DicomTag.StudyDescription, "StudyDescription", DicomVR.LO, QueryLevel.Study, QueryKeyKind.Text, "st.study_description"),
            new(DicomTag.ReferringPhysicianName, "ReferringPhysicianName", DicomVR.PN, QueryLevel.Study, QueryKeyKind.PersonName,
                "st.referring_physician_name", "st.referring_physician_name_norm"),
            new(DicomTag.ModalitiesInStudy, "ModalitiesInStudy", DicomVR.CS, QueryLevel.Study, QueryKeyKind.ModalitiesInStudy,
                "st.modalities_in_study"),
            new(DicomTag.SOPClassesInStudy, "SOPClassesInStudy", DicomVR.UI, QueryLevel.Study, QueryKeyKind.SopClassesInStudy,
                "(SELECT group_concat(DISTINCT x.sop_class_uid) FROM series s2 JOIN instances x ON x.series_fk = s2.pk " +
                "WHERE s2.study_fk = st.pk)"),
            new(DicomTag.NumberOfStudyRelatedSeries, "NumberOfStudyRelatedSeries", DicomVR.IS, QueryLevel.Study, QueryKeyKind.Count,
                "st.number_of_series"),
            new(DicomTag.NumberOfStudyRelatedInstances, "NumberOfStudyRelatedInstances", DicomVR.IS, QueryLevel.Study,
                QueryKeyKind.Count, "st.number_of_instances"),

            // Series level
            new(DicomTag.SeriesInstanceUID, "SeriesInstanceUID", DicomVR.UI, QueryLevel.Series, QueryKeyKind.Uid,
                "se.series_instance_uid"),
            new(DicomTag.Modality, "Modality", DicomVR.CS, QueryLevel.Series, QueryKeyKind.Text, "se.modality"),
            new(DicomTag.SeriesNumber, "SeriesNumber", DicomVR.IS, QueryLevel.Series, QueryKeyKind.Integer, "se.series_number"),
            new(DicomTag.SeriesDescription, "SeriesDescription", DicomVR.LO, QueryLevel.Series, QueryKeyKind.Text,
                "se.series_description"),
            new(DicomTag.BodyPartExamined, "BodyPartExamined", DicomVR.CS, QueryLevel.Series, QueryKeyKind.Text,
                "se.body_part_examined"),
            new(DicomTag.SeriesDate, "SeriesDate", DicomVR.DA, QueryLevel.Series, QueryKeyKind.DateOrTime, "se.series_date"),
            new(DicomTag.SeriesTime, "SeriesTime", DicomVR.TM, QueryLevel.Series, QueryKeyKind.DateOrTime, "se.series_time"),
            new(DicomTag.NumberOfSeriesRelatedInstances, "NumberOfSeriesRelatedInstances", DicomVR.IS, QueryLevel.Series,
                QueryKeyKind.Count, "se.number_of_instances"),

            // Image (instance) level
            new(DicomTag.SOPInstanceUID, "SOPInstanceUID", DicomVR.UI, QueryLevel.Image, QueryKeyKind.Uid, "i.sop_instance_uid"),
            new(DicomTag.SOPClassUID, "SOPClassUID", DicomVR.UI, QueryLevel.Image, QueryKeyKind.Uid, "i.sop_class_uid"),
            new(DicomTag.InstanceNumber, "InstanceNumber", DicomVR.IS, QueryLevel.Image, QueryKeyKind.Integer, "i.instance_number"),
        ];
        var map = new Dictionary<DicomTag, QueryKey>(keys.Length);
        foreach (var key in keys)
        {
            map.Add(key.Tag, key);
        }

        return map;
    }
}
