using System.Buffers;
using DicomArchive.Dicom;
using DicomArchive.Storage.Query;

namespace DicomArchive.Storage.Tests.Query;

/// <summary>
/// <see cref="QueryEngine.FindEncodedAsync"/> writes responses straight from index rows: byte for byte what
/// <see cref="QueryEngine.FindAsync"/> and <see cref="DicomDatasetWriter"/> produce, for every level and syntax.
/// </summary>
public sealed class EncodedResponseTests : QueryTestBase
{
    private static IEnumerable<TestCaseData> Cases()
    {
        var studyKeys = new (DicomTag, string)[]
        {
            (DicomTag.PatientName, ""), (DicomTag.PatientID, ""), (DicomTag.PatientBirthDate, ""), (DicomTag.PatientSex, ""),
            (DicomTag.StudyDate, ""), (DicomTag.StudyTime, ""), (DicomTag.AccessionNumber, ""), (DicomTag.StudyDescription, ""),
            (DicomTag.StudyID, ""), (DicomTag.ReferringPhysicianName, ""), (DicomTag.ModalitiesInStudy, ""),
            (DicomTag.NumberOfStudyRelatedInstances, ""), (DicomTag.NumberOfStudyRelatedSeries, ""), (DicomTag.SOPClassesInStudy, ""),
        };
        yield return new TestCaseData(QueryModel.StudyRoot, Study(studyKeys)).SetName("Study level, every index key");
        yield return new TestCaseData(QueryModel.StudyRoot, Study([.. studyKeys, (DicomTag.SpecificCharacterSet, "")]))
            .SetName("Study level, Specific Character Set asked");
        yield return new TestCaseData(QueryModel.StudyRoot, Study((DicomTag.PatientName, "Y*"), (DicomTag.Modality, ""), (DicomTag.SeriesNumber, "")))
            .SetName("Study level, lower-level keys returned empty");
        yield return new TestCaseData(QueryModel.PatientRoot, Identifier("PATIENT", (DicomTag.PatientID, ""), (DicomTag.PatientName, ""),
            (DicomTag.NumberOfPatientRelatedStudies, ""), (DicomTag.NumberOfPatientRelatedSeries, ""), (DicomTag.NumberOfPatientRelatedInstances, "")))
            .SetName("Patient level, counts");
        yield return new TestCaseData(QueryModel.StudyRoot, Identifier("SERIES", (DicomTag.SeriesInstanceUID, ""), (DicomTag.Modality, ""),
            (DicomTag.SeriesNumber, ""), (DicomTag.SeriesDescription, ""), (DicomTag.NumberOfSeriesRelatedInstances, ""), (DicomTag.BodyPartExamined, "")))
            .SetName("Series level");
        yield return new TestCaseData(QueryModel.StudyRoot, Identifier("IMAGE", (DicomTag.SOPInstanceUID, ""), (DicomTag.SOPClassUID, ""),
            (DicomTag.InstanceNumber, ""))).SetName("Image level");
        yield return new TestCaseData(QueryModel.StudyRoot, Study((DicomTag.PatientName, ""), (DicomTag.StudyComments, "")))
            .SetName("A key read from the stored file (data set path)");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task FindEncodedAsync_AnyIdentifier_EncodesWhatTheDatasetPathEncodes(QueryModel model, DicomDataset identifier)
    {
        foreach (var syntax in new[] { TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian })
        {
            var expected = new List<byte[]>();
            await foreach (var response in Engine().FindAsync(model, identifier))
            {
                var buffer = new ArrayBufferWriter<byte>();
                DicomDatasetWriter.Write(buffer, response, syntax);
                expected.Add(buffer.WrittenSpan.ToArray());
            }

            var actual = new List<byte[]>();
            await foreach (var response in Engine().FindEncodedAsync(model, identifier, syntax))
            {
                actual.Add(response.ToArray());
            }

            expected.Should().NotBeEmpty();
            actual.Should().HaveSameCount(expected, syntax.Uid);
            for (var i = 0; i < expected.Count; i++)
            {
                actual[i].Should().Equal(expected[i], $"response {i} in {syntax.Uid}");
            }
        }
    }

    [Test]
    public async Task FindEncodedAsync_NonAsciiName_AddsUtf8CharacterSet()
    {
        var found = false;
        await foreach (var response in Engine().FindEncodedAsync(QueryModel.StudyRoot, Study((DicomTag.PatientName, "Yamada*")),
                           TransferSyntax.ExplicitVRLittleEndian))
        {
            var dataset = DicomDatasetReader.Read(response, TransferSyntax.ExplicitVRLittleEndian);
            dataset.GetString(DicomTag.SpecificCharacterSet).Should().Be("ISO_IR 192");
            dataset.GetString(DicomTag.PatientName).Should().Be(QueryCorpus.JapaneseName);
            found = true;
        }

        found.Should().BeTrue();
    }
}
