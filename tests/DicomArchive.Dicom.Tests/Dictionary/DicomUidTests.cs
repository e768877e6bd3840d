namespace DicomArchive.Dicom.Tests.Dictionary;

public sealed class DicomUidTests
{
    [Test]
    public void All_HoldsEveryRegisteredUid()
    {
        DicomUid.All.Should().HaveCount(493);
        DicomUid.All.Select(u => u.Value).Should().OnlyHaveUniqueItems();
        DicomUid.All.Count(u => u.IsRetired).Should().Be(75);
    }

    [Test]
    public void All_AgreesWithTheRegistryTsv()
    {
        var rows = File.ReadAllLines(DicomDictionaryTests.RegistryFile("uids.tsv"))[1..];
        var all = DicomUid.All.ToList();
        all.Should().HaveCount(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            var f = rows[i].Split('\t');
            all[i].Value.Should().Be(f[0]);
            all[i].Name.Should().Be(f[1]);
            all[i].Keyword.Should().Be(f[2]);
            all[i].IsRetired.Should().Be(f[4] == "Y", f[0]);
        }
    }

    [Test]
    public void Fields_CarryValueNameAndType()
    {
        DicomUid.CTImageStorage.Value.Should().Be("1.2.840.10008.5.1.4.1.1.2");
        DicomUid.CTImageStorage.Name.Should().Be("CT Image Storage");
        DicomUid.CTImageStorage.Type.Should().Be(DicomUidType.SopClass);
        DicomUid.Verification.Value.Should().Be("1.2.840.10008.1.1");
        DicomUid.ExplicitVRLittleEndian.Value.Should().Be("1.2.840.10008.1.2.1");
        DicomUid.ExplicitVRLittleEndian.Type.Should().Be(DicomUidType.TransferSyntax);
        DicomUid.ExplicitVRBigEndian.IsRetired.Should().BeTrue();
        DicomUid.JPEGExtended12Bit.Name.Should().Be("JPEG Extended (Process 2 & 4)");
        DicomUid.StorageCommitmentPushModelInstance.Type.Should().Be(DicomUidType.WellKnownSopInstance);
        DicomUid.DICOMApplicationContext.Type.Should().Be(DicomUidType.ApplicationContextName);
        DicomUid.TalairachBrainAtlas.Type.Should().Be(DicomUidType.WellKnownFrameOfReference);
        DicomUid.DCM.Type.Should().Be(DicomUidType.CodingScheme);
        DicomUid.ITIS_TSN.Type.Should().Be(DicomUidType.CodingScheme);
        DicomUid.dicomTransferCapability.Type.Should().Be(DicomUidType.LdapOid);
        DicomUid.CompositeInstanceRootRetrieveMove.Type.Should().Be(DicomUidType.SopClass);
    }

    [Test]
    public void Lookup_RegisteredValue_ReturnsTheField()
    {
        DicomUid.Lookup("1.2.840.10008.5.1.4.1.1.2").Should().BeSameAs(DicomUid.CTImageStorage);
        DicomUid.TryLookup("1.2.840.10008.1.1", out var verification).Should().BeTrue();
        verification.Should().BeSameAs(DicomUid.Verification);
    }

    [Test]
    public void Lookup_NamelessRetiredRow_IsInTheRegistryOnly()
    {
        DicomUid.TryLookup("1.2.840.10008.5.1.4.1.1.40", out var uid).Should().BeTrue();
        uid!.Name.Should().BeEmpty();
        uid.IsRetired.Should().BeTrue();
    }

    [Test]
    public void Lookup_UnregisteredValue_IsUnknown()
    {
        var uid = DicomUid.Lookup("1.2.3.4");
        uid.Type.Should().Be(DicomUidType.Unknown);
        uid.IsStorageSopClass.Should().BeFalse();
    }

    [TestCase("1.2.840.10008.5.1.4.1.1.2", true)] // CT Image Storage
    [TestCase("1.2.840.10008.5.1.4.1.1.1.1", true)] // Digital X-Ray Image Storage - For Presentation
    [TestCase("1.2.840.10008.5.1.4.1.1.6", true)] // Ultrasound Image Storage (retired)
    [TestCase("1.2.840.10008.5.1.4.1.1.88.22", true)] // Enhanced SR Storage
    [TestCase("1.2.840.10008.1.3.10", true)] // Media Storage Directory Storage
    [TestCase("1.2.840.10008.5.1.4.38.1", true)] // Hanging Protocol Storage
    [TestCase("1.2.840.10008.5.1.4.1.1.40", true)] // retired, nameless, in the storage arc
    [TestCase("1.2.840.10008.1.1", false)] // Verification
    [TestCase("1.2.840.10008.1.20.1", false)] // Storage Commitment Push Model
    [TestCase("1.2.840.10008.5.1.4.1.2.1.1", false)] // Patient Root Q/R FIND
    [TestCase("1.2.840.10008.5.1.4.1.1.200.4", false)] // Protocol Approval Information Model - FIND
    [TestCase("1.2.840.10008.5.1.4.1.1.201.2", false)] // Inventory - FIND
    [TestCase("1.2.840.10008.5.1.4.1.1.201.5", false)] // Inventory Creation
    [TestCase("1.2.840.10008.1.2.1", false)] // a transfer syntax
    [TestCase("1.2.840.10008.1.20.1.1", false)] // Storage Commitment Push Model SOP Instance
    public void IsStorageSopClass_AgreesWithTheRegistry(string value, bool expected)
    {
        DicomUid.Lookup(value).IsStorageSopClass.Should().Be(expected);
    }

    [Test]
    public void IsStorageSopClass_CoversTheStorageKeywords()
    {
        var sopClasses = DicomUid.All.Where(u => u.Type == DicomUidType.SopClass).ToList();
        sopClasses.Where(u => u.Keyword.EndsWith("Storage", StringComparison.Ordinal)).Should().OnlyContain(u => u.IsStorageSopClass);
        sopClasses.Where(u => u.Keyword.StartsWith("StorageCommitment", StringComparison.Ordinal)).Should().NotContain(u => u.IsStorageSopClass);
        sopClasses.Count(u => u.IsStorageSopClass).Should().BeGreaterThan(180);
    }
}
