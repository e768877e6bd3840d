using System.Buffers;
using DicomArchive.Dicom;

namespace DicomArchive.Storage.Tests.Query;

/// <summary>
/// A small archive whose contents the query tests know, stored through <see cref="InstanceStore"/>:
/// <code>
/// PID1 Doe^John (ASCII)          1.2.1 20240102 101112 ACC1   CT 1.2.1.1 (2 CT) + MR 1.2.1.2 (1 MR), InstitutionName, ProcedureCodeSequence P1
///                                1.2.2 20240315 080000 ACC2   CT 1.2.2.1 (1 CT)
/// PID2 Müller^Jürgen (Latin-1)   1.2.3 20231231 235900 A_100% US 1.2.3.1 (1)
/// PID3 Łukasz^Żółć (UTF-8)       1.2.4 20240102 230000 AX100  CT 1.2.4.1 (1), ProcedureCodeSequence P2
/// PID4 Yamada^Tarou=山田^太郎=やまだ^たろう (ISO 2022 IR 87) 1.2.5 20220606 120000 JP1 MR 1.2.5.1 (1)
/// PID5 Empty^Values              1.2.6 (no date, time, accession) OT 1.2.6.1 (1)
/// </code>
/// </summary>
internal static class QueryCorpus
{
    public const string JapaneseName = "Yamada^Tarou=山田^太郎=やまだ^たろう";

    public static async Task StoreAllAsync(StoreFixture fixture)
    {
        await StoreAsync(fixture, Instance("PID1", "Doe^John", "1.2.1", "20240102", "101112", "ACC1", "1.2.1.1", "CT", "1.2.1.1.1",
            TestDataset.CtImageStorage, institution: "General Hospital", procedureCode: "P1"));
        await StoreAsync(fixture, Instance("PID1", "Doe^John", "1.2.1", "20240102", "101112", "ACC1", "1.2.1.1", "CT", "1.2.1.1.2",
            TestDataset.CtImageStorage, institution: "General Hospital", procedureCode: "P1", instanceNumber: 2));
        await StoreAsync(fixture, Instance("PID1", "Doe^John", "1.2.1", "20240102", "101112", "ACC1", "1.2.1.2", "MR", "1.2.1.2.1",
            TestDataset.MrImageStorage, institution: "General Hospital", procedureCode: "P1", seriesNumber: 2));
        await StoreAsync(fixture, Instance("PID1", "Doe^John", "1.2.2", "20240315", "080000", "ACC2", "1.2.2.1", "CT", "1.2.2.1.1",
            TestDataset.CtImageStorage));
        await StoreAsync(fixture, Instance("PID2", "Müller^Jürgen", "1.2.3", "20231231", "235900", "A_100%", "1.2.3.1", "US", "1.2.3.1.1",
            TestDataset.CtImageStorage, characterSet: ["ISO_IR 100"]));
        await StoreAsync(fixture, Instance("PID3", "Łukasz^Żółć", "1.2.4", "20240102", "230000", "AX100", "1.2.4.1", "CT", "1.2.4.1.1",
            TestDataset.CtImageStorage, characterSet: ["ISO_IR 192"], procedureCode: "P2"));
        await StoreAsync(fixture, Instance("PID4", JapaneseName, "1.2.5", "20220606", "120000", "JP1", "1.2.5.1", "MR", "1.2.5.1.1",
            TestDataset.MrImageStorage, characterSet: ["", "ISO 2022 IR 87"]));
        await StoreAsync(fixture, Instance("PID5", "Empty^Values", "1.2.6", "", "", "", "1.2.6.1", "OT", "1.2.6.1.1",
            TestDataset.CtImageStorage));
    }

    public static DicomDataset Instance(
        string patientId, string patientName, string studyUid, string studyDate, string studyTime, string accession, string seriesUid,
        string modality, string sopUid, string sopClass, string[]? characterSet = null, string? institution = null,
        string? procedureCode = null, int seriesNumber = 1, int instanceNumber = 1)
    {
        var ds = new DicomDataset();
        if (characterSet is not null)
        {
            ds.AddOrUpdate(DicomTag.SpecificCharacterSet, characterSet);
        }

        ds.AddOrUpdate(DicomTag.SOPClassUID, sopClass);
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, sopUid);
        Optional(ds, DicomTag.StudyDate, studyDate);
        Optional(ds, DicomTag.StudyTime, studyTime);
        Optional(ds, DicomTag.AccessionNumber, accession);
        ds.AddOrUpdate(DicomTag.Modality, modality);
        if (institution is not null)
        {
            ds.AddOrUpdate(DicomTag.InstitutionName, institution);
        }

        ds.AddOrUpdate(DicomTag.ReferringPhysicianName, "Smith^Anna");
        ds.AddOrUpdate(DicomTag.StudyDescription, "Study of " + patientId);
        if (procedureCode is not null)
        {
            var item = new DicomDataset()
                .AddOrUpdate(DicomTag.CodeValue, procedureCode)
                .AddOrUpdate(DicomTag.CodingSchemeDesignator, "LOCAL")
                .AddOrUpdate(DicomTag.CodeMeaning, "Procedure " + procedureCode);
            ds.AddOrUpdate(DicomTag.ProcedureCodeSequence, item);
        }

        ds.AddOrUpdate(DicomTag.PatientName, patientName);
        ds.AddOrUpdate(DicomTag.PatientID, patientId);
        ds.AddOrUpdate(DicomTag.PatientBirthDate, "19700101");
        ds.AddOrUpdate(DicomTag.PatientSex, "M");
        ds.AddOrUpdate(DicomTag.PatientAge, "054Y");
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, studyUid);
        ds.AddOrUpdate(DicomTag.SeriesInstanceUID, seriesUid);
        ds.AddOrUpdate(DicomTag.StudyID, "S" + studyUid[^1]);
        ds.AddOrUpdate(DicomTag.SeriesNumber, DicomVR.IS, seriesNumber);
        ds.AddOrUpdate(DicomTag.InstanceNumber, DicomVR.IS, instanceNumber);
        return ds;
    }

    public static async Task StoreAsync(StoreFixture fixture, DicomDataset dataset)
    {
        var buffer = new ArrayBufferWriter<byte>();
        DicomDatasetWriter.Write(buffer, dataset, TransferSyntax.ExplicitVRLittleEndian);
        var context = StoreFixture.Context(dataset.GetString(DicomTag.SOPInstanceUID), dataset.GetString(DicomTag.SOPClassUID));
        var result = await fixture.StoreAsync(context, buffer.WrittenSpan.ToArray());
        result.Status.Should().Be(StoreStatus.Success, result.ErrorComment);
    }

    private static void Optional(DicomDataset ds, DicomTag tag, string value)
    {
        if (value.Length > 0)
        {
            ds.AddOrUpdate(tag, value);
        }
    }
}
