using DicomArchive.Dicom;

namespace DicomArchive.Benchmarks.Corpus;

/// <summary>
/// The modules every generated object carries: SOP Common (PS3.3 C.12.1), Patient (C.7.1.1), General Study
/// (C.7.2.1), Patient Study (C.7.2.2), General Series (C.7.3.1), Frame of Reference (C.7.4.1), General Equipment
/// (C.7.5.1), General Image (C.7.6.1) and the request attributes of the modality worklist.
/// </summary>
public static class CommonModules
{
    public static void AddPatientStudySeries(
        DicomDataset ds, CorpusPlacement placement, string sopInstanceUid, string sopClassUid, Random random)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(random);
        var (patient, study, series) = (placement.Patient, placement.Study, placement.Series);
        var contentTime = study.Time.Add(TimeSpan.FromSeconds(30 + placement.InstanceNumber));

        // Specific Character Set first: the string setters encode with it (names hold Latin-1 letters).
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 100");
        ds.AddOrUpdate(DicomTag.InstanceCreationDate, study.Date);
        ds.AddOrUpdate(DicomTag.InstanceCreationTime, contentTime);
        ds.AddOrUpdate(DicomTag.SOPClassUID, sopClassUid);
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, sopInstanceUid);
        ds.AddOrUpdate(DicomTag.StudyDate, study.Date);
        ds.AddOrUpdate(DicomTag.SeriesDate, study.Date);
        ds.AddOrUpdate(DicomTag.AcquisitionDate, study.Date);
        ds.AddOrUpdate(DicomTag.ContentDate, study.Date);
        ds.AddOrUpdate(DicomTag.StudyTime, study.Time);
        ds.AddOrUpdate(DicomTag.SeriesTime, study.Time.Add(TimeSpan.FromSeconds(series.Number * 60)));
        ds.AddOrUpdate(DicomTag.AcquisitionTime, contentTime);
        ds.AddOrUpdate(DicomTag.ContentTime, contentTime);
        ds.AddOrUpdate(DicomTag.AccessionNumber, study.AccessionNumber);
        ds.AddOrUpdate(DicomTag.Modality, series.Modality);
        ds.AddOrUpdate(DicomTag.ConversionType, "DV");
        ds.AddOrUpdate(DicomTag.InstitutionName, "St. Elsewhere General Hospital");
        ds.AddOrUpdate(DicomTag.InstitutionAddress, "1 Hospital Road, Springfield");
        ds.AddOrUpdate(DicomTag.ReferringPhysicianName, "Ordering^Olivia^^Dr.");
        ds.AddOrUpdate(DicomTag.StudyDescription, study.Description);
        ds.AddOrUpdate(DicomTag.ProcedureCodeSequence, CtDatasetBuilder.Code("RPID" + (random.Next(100, 999)), "L", study.Description));
        ds.AddOrUpdate(DicomTag.SeriesDescription, series.Description);
        ds.AddOrUpdate(DicomTag.InstitutionalDepartmentName, "Radiology");
        ds.AddOrUpdate(DicomTag.PerformingPhysicianName, "Reader^Rhys");
        ds.AddOrUpdate(DicomTag.OperatorsName, "Tech^Tara");
        ds.AddOrUpdate(DicomTag.PatientName, patient.Name);
        ds.AddOrUpdate(DicomTag.PatientID, patient.Id);
        ds.AddOrUpdate(DicomTag.IssuerOfPatientID, "ELSEWHERE");
        ds.AddOrUpdate(DicomTag.PatientBirthDate, patient.BirthDate);
        ds.AddOrUpdate(DicomTag.PatientSex, patient.Sex);
        var age = study.Date.Year - patient.BirthDate.Year;
        ds.AddOrUpdate(DicomTag.PatientAge, $"{Math.Clamp(age, 0, 999):D3}Y");
        ds.AddOrUpdate(DicomTag.PatientSize, DicomVR.DS, 1.5 + (random.Next(0, 45) / 100.0));
        ds.AddOrUpdate(DicomTag.PatientWeight, DicomVR.DS, (double)random.Next(45, 120));
        ds.AddOrUpdate(DicomTag.PatientIdentityRemoved, "NO");
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, study.StudyInstanceUid);
        ds.AddOrUpdate(DicomTag.SeriesInstanceUID, series.SeriesInstanceUid);
        ds.AddOrUpdate(DicomTag.StudyID, study.StudyId);
        ds.AddOrUpdate(DicomTag.SeriesNumber, DicomVR.IS, (long)series.Number);
        ds.AddOrUpdate(DicomTag.InstanceNumber, DicomVR.IS, (long)placement.InstanceNumber);
        ds.AddOrUpdate(DicomTag.FrameOfReferenceUID, series.FrameOfReferenceUid);
        ds.AddOrUpdate(DicomTag.PositionReferenceIndicator, "SN");
        ds.AddOrUpdate(DicomTag.RequestingPhysician, "Ordering^Olivia^^Dr.");
        ds.AddOrUpdate(DicomTag.RequestedProcedureDescription, study.Description);
        ds.AddOrUpdate(DicomTag.PerformedProcedureStepStartDate, study.Date);
        ds.AddOrUpdate(DicomTag.PerformedProcedureStepStartTime, study.Time);
        ds.AddOrUpdate(DicomTag.PerformedProcedureStepID, "PPS" + study.AccessionNumber);
        ds.AddOrUpdate(DicomTag.PerformedProcedureStepDescription, study.Description);
        ds.AddOrUpdate(DicomTag.RequestAttributesSequence, new DicomDataset()
            .AddOrUpdate(DicomTag.RequestedProcedureID, "RP" + study.AccessionNumber)
            .AddOrUpdate(DicomTag.ScheduledProcedureStepID, "SPS" + study.AccessionNumber)
            .AddOrUpdate(DicomTag.ScheduledProcedureStepDescription, study.Description));
    }
}
