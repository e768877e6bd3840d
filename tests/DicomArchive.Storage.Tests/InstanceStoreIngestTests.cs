using System.Security.Cryptography;
using DicomArchive.Dicom;

namespace DicomArchive.Storage.Tests;

public sealed class InstanceStoreIngestTests
{
    [Test]
    public async Task CommitAsync_ValidInstance_StoresFileAndIndexesRows()
    {
        await using var f = await StoreFixture.CreateAsync();

        var result = await f.StoreAsync("1.2.3.4.5.6", TestDataset.Instance("1.2.3.4.5.6"));

        result.Status.Should().Be(StoreStatus.Success);
        result.RelativePath.Should().Be("1.2.3.4/1.2.3.4.5/1.2.3.4.5.6.dcm");
        File.Exists(Path.Combine(f.Options.StorageRoot, "1.2.3.4", "1.2.3.4.5", "1.2.3.4.5.6.dcm")).Should().BeTrue();
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(1);
        f.Text("SELECT patient_name_norm FROM patients").Should().Be("DOE^JOHN");
        f.Text("SELECT accession_number FROM studies").Should().Be("ACC1");
        f.Text("SELECT study_date FROM studies").Should().Be("20240102");
        f.Scalar("SELECT series_number FROM series").Should().Be(3);
        f.Scalar("SELECT instance_number FROM instances").Should().Be(7);
        f.Text("SELECT calling_ae FROM instances").Should().Be("MODALITY");
        f.Text("SELECT transfer_syntax_uid FROM instances").Should().Be("1.2.840.10008.1.2.1");
        f.Scalar("SELECT number_of_instances FROM studies").Should().Be(1);
        var instances = await f.Store.GetInstancesAsync("1.2.3.4");
        instances.Should().ContainSingle().Which.SopClassUid.Should().Be(TestDataset.CtImageStorage);
        File.Exists(instances[0].FullPath).Should().BeTrue();
        Directory.GetFiles(Path.Combine(f.Options.StorageRoot, ".tmp")).Should().BeEmpty();
    }

    [Test]
    public async Task CommitAsync_StoredFile_IsMetaHeaderFollowedByExactlyTheDatasetBytes()
    {
        await using var f = await StoreFixture.CreateAsync();
        var dataset = TestDataset.Instance("1.2.3.9", pixelBytes: 1000).ToArray();

        var result = await f.StoreAsync(StoreFixture.Context("1.2.3.9"), dataset);

        var path = Path.Combine(f.Options.StorageRoot, result.RelativePath!);
        var bytes = await File.ReadAllBytesAsync(path);
        var file = await DicomFileReader.OpenAsync(path);
        var meta = file.FileMetaInformation;
        var groupLength = BitConverter.ToUInt32(bytes, 128 + 4 + 8);
        var datasetOffset = 128 + 4 + 12 + (int)groupLength;
        bytes.AsSpan(datasetOffset).ToArray().Should().Equal(dataset);
        file.Dataset.GetString(DicomTag.SOPInstanceUID).Should().Be("1.2.3.9");
        bytes.AsSpan(128, 4).ToArray().Should().Equal("DICM"u8.ToArray());
        meta.GetString(DicomTag.MediaStorageSOPClassUID).Should().Be(TestDataset.CtImageStorage);
        meta.GetString(new DicomTag(0x0002, 0x0003)).Should().Be("1.2.3.9");
        meta.GetString(new DicomTag(0x0002, 0x0010)).Should().Be("1.2.840.10008.1.2.1");
        meta.GetString(DicomTag.SourceApplicationEntityTitle).Should().Be("MODALITY");
        f.Text("SELECT content_hash FROM instances").Should().Be("blake3:" + Convert.ToHexStringLower(Blake3.Hasher.Hash(bytes).AsSpan()));
        f.Scalar("SELECT file_size FROM instances").Should().Be(bytes.Length);
    }

    [Test]
    public async Task CommitAsync_SopInstanceUidDiffersFromCommand_A900AndNothingLeft()
    {
        await using var f = await StoreFixture.CreateAsync();

        var result = await f.StoreAsync(StoreFixture.Context("1.2.3.100"), TestDataset.Instance("1.2.3.101").ToArray());

        result.Status.Should().Be(StoreStatus.DatasetDoesNotMatchSopClass);
        result.ErrorComment.Should().Contain("SOP Instance UID");
        f.FilesUnderRoot().Should().BeEmpty();
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(0);
    }

    [Test]
    public async Task CommitAsync_SopClassDiffersFromCommand_A900()
    {
        await using var f = await StoreFixture.CreateAsync();

        var result = await f.StoreAsync(
            StoreFixture.Context("1.2.3.100", TestDataset.MrImageStorage), TestDataset.Instance("1.2.3.100").ToArray());

        result.Status.Should().Be(StoreStatus.DatasetDoesNotMatchSopClass);
        f.FilesUnderRoot().Should().BeEmpty();
    }

    [Test]
    public async Task CommitAsync_MissingStudyInstanceUid_FailureAndNothingLeft()
    {
        await using var f = await StoreFixture.CreateAsync();
        var dataset = new TestDataset()
            .Text(DicomTag.SOPClassUID, DicomVR.UI, TestDataset.CtImageStorage)
            .Text(DicomTag.SOPInstanceUID, DicomVR.UI, "1.2.3.5")
            .Text(DicomTag.SeriesInstanceUID, DicomVR.UI, "1.2.3.5.1");

        var result = await f.StoreAsync("1.2.3.5", dataset);

        result.Status.Should().Be(StoreStatus.DatasetDoesNotMatchSopClass);
        result.ErrorComment.Should().Contain("Study Instance UID");
        f.FilesUnderRoot().Should().BeEmpty();
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(0);
    }

    [Test]
    public async Task CommitAsync_TruncatedDataset_C000AndNothingLeft()
    {
        await using var f = await StoreFixture.CreateAsync();
        var dataset = TestDataset.Instance("1.2.3.6", pixelBytes: 0).ToArray();

        var result = await f.StoreAsync(StoreFixture.Context("1.2.3.6"), dataset[..^3]);

        result.Status.Should().Be(StoreStatus.CannotUnderstand);
        result.ErrorComment!.Length.Should().BeLessThanOrEqualTo(64);
        f.FilesUnderRoot().Should().BeEmpty();
    }

    [TestCase(64, TestName = "CommitAsync_FinalPathTakenByAFolder_A700AndNoTempFileLeft(small, written beside the final path)")]
    [TestCase(300_000, TestName = "CommitAsync_FinalPathTakenByAFolder_A700AndNoTempFileLeft(large, streamed to .tmp)")]
    public async Task CommitAsync_FinalPathTakenByAFolder_A700AndNoTempFileLeft(int pixelBytes)
    {
        await using var f = await StoreFixture.CreateAsync();
        // The rename onto the final path fails (a folder sits there): the temp file written for it must go too.
        var blocker = Path.Combine(f.Options.StorageRoot, "1.2.3.4", "1.2.3.4.5", "1.2.3.7.dcm");
        Directory.CreateDirectory(blocker);
        await File.WriteAllTextAsync(Path.Combine(blocker, "keep.txt"), "x");

        var result = await f.StoreAsync("1.2.3.7", TestDataset.Instance("1.2.3.7", pixelBytes: pixelBytes));

        result.Status.Should().Be(StoreStatus.OutOfResources);
        f.FilesUnderRoot().Should().Equal(Path.Combine(blocker, "keep.txt"));
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(0);

        // The failed store left its commit phase: the next one still commits (the index writer would otherwise wait
        // for it for ever).
        var next = await f.StoreAsync("1.2.3.10", TestDataset.Instance("1.2.3.10", pixelBytes: pixelBytes)).WaitAsync(TimeSpan.FromSeconds(30));
        next.Status.Should().Be(StoreStatus.Success);
    }

    [Test]
    public async Task CommitAsync_SmallInstance_DoesNotNeedTheTempFolder()
    {
        await using var f = await StoreFixture.CreateAsync();
        // A file where the .tmp folder should be: nothing can be created in it any more.
        var tempFolder = Path.Combine(f.Options.StorageRoot, ".tmp");
        Directory.Delete(tempFolder);
        await File.WriteAllTextAsync(tempFolder, "not a folder");

        var small = await f.StoreAsync("1.2.3.8", TestDataset.Instance("1.2.3.8"));
        var large = await f.StoreAsync("1.2.3.9", TestDataset.Instance("1.2.3.9", pixelBytes: 300_000));

        small.Status.Should().Be(StoreStatus.Success, "an instance that fits in memory is written beside its final path");
        large.Status.Should().Be(StoreStatus.OutOfResources, "a large instance streams to .tmp as it arrives");
        f.FilesUnderRoot().Should().BeEquivalentTo([tempFolder, Path.Combine(f.Options.StorageRoot, "1.2.3.4", "1.2.3.4.5", "1.2.3.8.dcm")]);
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(1);
    }

    [Test]
    public async Task BeginStoreAsync_UnknownSopClass_RefusedUnlessConfigured()
    {
        await using var f = await StoreFixture.CreateAsync();
        const string privateClass = "1.3.6.1.4.1.99999.1";

        var refused = await f.StoreAsync(StoreFixture.Context("1.2.3.7", privateClass), TestDataset.Instance("1.2.3.7", sopClass: privateClass).ToArray());
        f.Options.AcceptUnknownSopClasses = true;
        var accepted = await f.StoreAsync(StoreFixture.Context("1.2.3.7", privateClass), TestDataset.Instance("1.2.3.7", sopClass: privateClass).ToArray());

        refused.Status.Should().Be(StoreStatus.SopClassNotSupported);
        accepted.Status.Should().Be(StoreStatus.Success);
    }

    [Test]
    public async Task BeginStoreAsync_FreeDiskBelowThreshold_A700NothingWrittenThenAcceptsWhenLowered()
    {
        await using var f = await StoreFixture.CreateAsync(o => o.MinimumFreeDiskBytes = long.MaxValue);

        await using (var incoming = await f.Store.BeginStoreAsync(StoreFixture.Context("1.2.3.8")))
        {
            incoming.Refusal.Should().NotBeNull();
            Directory.GetFiles(Path.Combine(f.Options.StorageRoot, ".tmp")).Should().BeEmpty();
            await incoming.Stream.WriteAsync(TestDataset.Instance("1.2.3.8").ToArray());
            (await incoming.CommitAsync()).Status.Should().Be(StoreStatus.OutOfResources);
        }

        f.FilesUnderRoot().Should().BeEmpty();
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(0);

        f.Options.MinimumFreeDiskBytes = 1;
        (await f.StoreAsync("1.2.3.8", TestDataset.Instance("1.2.3.8"))).Status.Should().Be(StoreStatus.Success);
    }

    [Test]
    public async Task AbortAsync_AfterPartialWrite_LeavesNothing()
    {
        await using var f = await StoreFixture.CreateAsync();
        var incoming = await f.Store.BeginStoreAsync(StoreFixture.Context("1.2.3.10"));
        await incoming.Stream.WriteAsync(TestDataset.Instance("1.2.3.10").ToArray().AsMemory(0, 40));

        await incoming.AbortAsync();

        f.FilesUnderRoot().Should().BeEmpty();
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(0);
    }

    [Test]
    public async Task DisposeAsync_WithoutCommit_LeavesNothing()
    {
        await using var f = await StoreFixture.CreateAsync();
        await using (var incoming = await f.Store.BeginStoreAsync(StoreFixture.Context("1.2.3.11")))
        {
            await incoming.Stream.WriteAsync(TestDataset.Instance("1.2.3.11").ToArray());
        }

        f.FilesUnderRoot().Should().BeEmpty();
    }

    [Test]
    public async Task CommitAsync_EightConcurrentStores_AllStoredAndIndexedOnce()
    {
        await using var f = await StoreFixture.CreateAsync();

        var tasks = Enumerable.Range(1, 8).Select(i => Task.Run(() =>
            f.StoreAsync($"1.2.3.20.{i}", TestDataset.Instance($"1.2.3.20.{i}", seriesUid: $"1.2.3.4.{i % 2}", modality: i % 2 == 0 ? "CT" : "MR"))));
        var results = await Task.WhenAll(tasks);

        results.Should().OnlyContain(r => r.Status == StoreStatus.Success);
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(8);
        f.Scalar("SELECT COUNT(*) FROM series").Should().Be(2);
        f.Scalar("SELECT COUNT(*) FROM studies").Should().Be(1);
        f.Scalar("SELECT COUNT(*) FROM patients").Should().Be(1);
        f.Scalar("SELECT number_of_instances FROM studies").Should().Be(8);
        f.Scalar("SELECT number_of_series FROM studies").Should().Be(2);
        f.Scalar("SELECT SUM(number_of_instances) FROM series").Should().Be(8);
        f.Text("SELECT modalities_in_study FROM studies").Should().Be("CT\\MR");
        (await f.Store.GetInstancesAsync("1.2.3.4")).Should().HaveCount(8);
        (await f.Store.GetInstancesAsync("1.2.3.4", "1.2.3.4.1")).Should().HaveCount(4);
        (await f.Store.GetInstancesAsync("1.2.3.4", "1.2.3.4.1", "1.2.3.20.3")).Should().ContainSingle();
    }

    [Test]
    public async Task CommitAsync_ImplicitVRDataset_Indexed()
    {
        await using var f = await StoreFixture.CreateAsync();

        var result = await f.StoreAsync(
            StoreFixture.Context("1.2.3.30", syntax: "1.2.840.10008.1.2"), TestDataset.Instance("1.2.3.30", explicitVR: false).ToArray());

        result.Status.Should().Be(StoreStatus.Success);
        f.Text("SELECT patient_id FROM patients").Should().Be("PID1");
    }

    [Test]
    public async Task CommitAsync_NoSpecificCharacterSet_NamesDecodedWithConfiguredDefault()
    {
        await using var f = await StoreFixture.CreateAsync();

        // "Müller" in ISO 8859-1 without (0008,0005): the default ISO_IR 100 gives it its intended letters.
        var result = await f.StoreAsync("1.2.3.31", TestDataset.Instance("1.2.3.31", patientName: "M\u00fcller^Hans"));

        result.Status.Should().Be(StoreStatus.Success);
        f.Text("SELECT patient_name FROM patients").Should().Be("M\u00fcller^Hans");
        f.Text("SELECT patient_name_norm FROM patients").Should().Be("M\u00dcLLER^HANS");
    }

    [Test]
    public async Task CommitAsync_SameSeriesOtherDemographics_StoredWithWarning()
    {
        await using var f = await StoreFixture.CreateAsync();

        // The second instance is of a series the writer has just indexed: its rows are known, the check still runs.
        await f.StoreAsync("1.2.3.44", TestDataset.Instance("1.2.3.44", patientName: "Doe^John"));
        var second = await f.StoreAsync("1.2.3.45", TestDataset.Instance("1.2.3.45", patientName: "Roe^Jane"));
        var third = await f.StoreAsync("1.2.3.46", TestDataset.Instance("1.2.3.46", patientName: "Doe^John"));

        second.Status.Should().Be(StoreStatus.Success);
        third.Status.Should().Be(StoreStatus.Success);
        f.Scalar("SELECT number_of_instances FROM series").Should().Be(3);
        f.Logger.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Should()
            .ContainSingle(e => e.Message.Contains("Roe^Jane"), "only the instance that disagrees draws the warning");
    }

    [Test]
    public async Task CommitAsync_ManyInstancesWithTheSameOtherDemographics_OneWarningPerDisagreement()
    {
        await using var f = await StoreFixture.CreateAsync();
        await f.StoreAsync("1.2.3.70", TestDataset.Instance("1.2.3.70", patientName: "Doe^John"));

        // A whole study sent with the patient's other name: one warning, not one per instance; another name is
        // another disagreement and is reported too.
        for (var i = 71; i <= 75; i++)
        {
            (await f.StoreAsync("1.2.3." + i, TestDataset.Instance("1.2.3." + i, patientName: "Roe^Jane"))).Status.Should().Be(StoreStatus.Success);
        }

        await f.StoreAsync("1.2.3.76", TestDataset.Instance("1.2.3.76", patientName: "Poe^Edgar"));

        var warnings = f.Logger.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).ToList();
        warnings.Should().ContainSingle(e => e.Message.Contains("Roe^Jane"));
        warnings.Should().ContainSingle(e => e.Message.Contains("Poe^Edgar"));
        f.Scalar("SELECT number_of_instances FROM series").Should().Be(7);
    }

    [Test]
    public async Task CommitAsync_StudyOfAnotherPatientInManyInstances_OneWarning()
    {
        await using var f = await StoreFixture.CreateAsync();
        await f.StoreAsync("1.2.3.80", TestDataset.Instance("1.2.3.80", patientId: "A"));

        for (var i = 81; i <= 84; i++)
        {
            await f.StoreAsync("1.2.3." + i, TestDataset.Instance("1.2.3." + i, patientId: "B"));
        }

        f.Logger.Entries.Where(e => e.Message.Contains("under another patient")).Should().ContainSingle();
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(5);
    }

    [Test]
    public async Task CommitAsync_SeriesStoredAgainAfterReindex_IndexedUnderTheRebuiltRows()
    {
        await using var f = await StoreFixture.CreateAsync();
        var other = await f.StoreAsync("1.2.3.49", TestDataset.Instance("1.2.3.49", studyUid: "1.2.9.1", seriesUid: "1.2.9.1.1", patientId: "PID9"));
        await f.StoreAsync("1.2.3.47", TestDataset.Instance("1.2.3.47"));
        // Rebuilt without the other instance's file, the index gives this series, study and patient other keys (1,
        // not 2): the writer must not go on using the keys it knew from before the rebuild.
        File.Delete(Path.Combine(f.Options.StorageRoot, other.RelativePath!));
        await f.Store.ReindexAsync();
        f.Scalar("SELECT pk FROM series").Should().Be(1);

        var result = await f.StoreAsync("1.2.3.48", TestDataset.Instance("1.2.3.48"));

        result.Status.Should().Be(StoreStatus.Success);
        f.Scalar("SELECT COUNT(*) FROM series").Should().Be(1);
        f.Scalar("SELECT number_of_instances FROM series").Should().Be(2);
        f.Scalar("SELECT number_of_instances FROM studies").Should().Be(2);
    }

    [Test]
    public async Task CommitAsync_PatientIdWithOtherDemographics_StoredWithWarning()
    {
        await using var f = await StoreFixture.CreateAsync();

        await f.StoreAsync("1.2.3.40", TestDataset.Instance("1.2.3.40", studyUid: "1.2.3.41", seriesUid: "1.2.3.41.1", patientName: "Doe^John"));
        var second = await f.StoreAsync("1.2.3.42", TestDataset.Instance("1.2.3.42", studyUid: "1.2.3.43", seriesUid: "1.2.3.43.1", patientName: "Roe^Jane"));

        second.Status.Should().Be(StoreStatus.Success);
        f.Scalar("SELECT COUNT(*) FROM patients").Should().Be(1);
        f.Scalar("SELECT COUNT(*) FROM studies").Should().Be(2);
        f.Text("SELECT patient_name FROM patients").Should().Be("Doe^John");
        f.Logger.Entries.Should().Contain(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("Roe^Jane"));
    }

    [Test]
    public async Task CommitAsync_StudyUnderAnotherPatient_StoredWithWarning()
    {
        await using var f = await StoreFixture.CreateAsync();

        await f.StoreAsync("1.2.3.50", TestDataset.Instance("1.2.3.50", patientId: "A"));
        var second = await f.StoreAsync("1.2.3.51", TestDataset.Instance("1.2.3.51", patientId: "B"));

        second.Status.Should().Be(StoreStatus.Success);
        f.Scalar("SELECT COUNT(*) FROM instances").Should().Be(2);
        f.Logger.Entries.Should().Contain(e => e.Message.Contains("under another patient"));
    }

    [Test]
    public async Task CommitAsync_UnsafeUid_UsesHashedFileName()
    {
        await using var f = await StoreFixture.CreateAsync();

        var result = await f.StoreAsync("1.2.3.60", TestDataset.Instance("1.2.3.60", studyUid: "..\\..\\evil", seriesUid: "1.2.3.61"));

        result.Status.Should().Be(StoreStatus.Success);
        result.RelativePath.Should().MatchRegex("^x[0-9a-f]{40}/1\\.2\\.3\\.61/1\\.2\\.3\\.60\\.dcm$");
    }
}
