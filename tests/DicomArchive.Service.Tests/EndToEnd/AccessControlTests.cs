using System.Globalization;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Service.Tests.Support;

namespace DicomArchive.Service.Tests.EndToEnd;

/// <summary>
/// Issue 10 access control against the real executable: calling-AE allow-list with the expected source address,
/// per-peer permissions enforced at presentation-context negotiation, and rejections in the audit log.
/// </summary>
[NonParallelizable]
public sealed class AccessControlTests
{
    private const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    private string root = null!;

    [SetUp]
    public void SetUp() => root = TestInstances.NewTempFolder("acl");

    [TearDown]
    public void TearDown()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing on a slow machine: the temp folder is cleaned another time.
        }
    }

    /// <summary>A modality that may only store; a viewer that may only query; a peer expected from another host.</summary>
    private static string[] Peers(bool restrict) =>
    [
        $"--Archive:RestrictCallingAeTitles={restrict}",
        "--Archive:Peers:0:AeTitle=MODALITY", "--Archive:Peers:0:Host=127.0.0.1", "--Archive:Peers:0:Permissions:0=Store",
        "--Archive:Peers:1:AeTitle=VIEWER", "--Archive:Peers:1:Host=localhost", "--Archive:Peers:1:Permissions:0=Echo",
        "--Archive:Peers:1:Permissions:1=Find",
        "--Archive:Peers:2:AeTitle=FARAWAY", "--Archive:Peers:2:Host=192.0.2.10",
    ];

    private static Task<DicomClient> ConnectAsync(int port, string callingAe) =>
        DicomClient.ConnectAsync("127.0.0.1", port,
            new DicomClientOptions { CalledAeTitle = "DICOMARCHIVE", CallingAeTitle = callingAe, AssociationTimeout = TimeSpan.FromSeconds(10) },
            [
                new PresentationContextRequest(1, "1.2.840.10008.1.1", "1.2.840.10008.1.2"),
                new PresentationContextRequest(3, TestInstances.CtImageStorage, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"),
                new PresentationContextRequest(5, StudyRootFind, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"),
            ]);

    [Test]
    public async Task Negotiate_StoreOnlyPeer_StoresButFindAndEchoContextsRejected()
    {
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 1);
        await using var archive = await ArchiveProcess.StartAsync(root, null, Peers(restrict: true));

        await using var client = await ConnectAsync(archive.Port, "MODALITY");

        client.PresentationContexts[3].IsAccepted.Should().BeTrue();
        client.PresentationContexts[5].Result.Should().Be(PresentationContextResult.AbstractSyntaxNotSupported);
        client.PresentationContexts[1].Result.Should().Be(PresentationContextResult.AbstractSyntaxNotSupported);
        (await client.StoreFileAsync(files[0])).Status!.Value.IsSuccess.Should().BeTrue();
        await client.ReleaseAsync();
        StoredFiles.Find(archive.StorageRoot, (await DicomClient.ReadFileInfoAsync(files[0])).SopInstanceUid).Should().NotBeNull();
    }

    [Test]
    public async Task Negotiate_QueryOnlyPeerFromResolvedHostName_FindAcceptedStorageRejected()
    {
        await using var archive = await ArchiveProcess.StartAsync(root, null, Peers(restrict: true));

        await using var client = await ConnectAsync(archive.Port, "VIEWER");

        client.PresentationContexts[1].IsAccepted.Should().BeTrue();
        client.PresentationContexts[5].IsAccepted.Should().BeTrue();
        client.PresentationContexts[3].Result.Should().Be(PresentationContextResult.AbstractSyntaxNotSupported);
        (await client.EchoAsync()).IsSuccess.Should().BeTrue();
        await client.ReleaseAsync();
    }

    [Test]
    public async Task Negotiate_PermissionsWithoutRestriction_StillApplyToListedPeers()
    {
        await using var archive = await ArchiveProcess.StartAsync(root, null, Peers(restrict: false));

        await using (var modality = await ConnectAsync(archive.Port, "MODALITY"))
        {
            modality.PresentationContexts[5].IsAccepted.Should().BeFalse();
            await modality.ReleaseAsync();
        }

        await using var stranger = await ConnectAsync(archive.Port, "ANYONE");
        stranger.PresentationContexts.Values.Should().OnlyContain(pc => pc.IsAccepted, "unlisted callers may do anything when not restricted");
        await stranger.ReleaseAsync();
    }

    [Test]
    public async Task Negotiate_UnknownCallerWithRestriction_RejectedPermanentCallingAeNotRecognizedAndAudited()
    {
        await using var archive = await ArchiveProcess.StartAsync(root, null, Peers(restrict: true));

        var act = () => ConnectAsync(archive.Port, "INTRUDER");

        var rejected = (await act.Should().ThrowAsync<DicomAssociationRejectedException>()).Which;
        rejected.Result.Should().Be(AssociateRejectResult.RejectedPermanent);
        rejected.Source.Should().Be(AssociateRejectSource.ServiceUser);
        rejected.Reason.Should().Be(3);
        await WaitForOutputAsync(archive, "ASSOCIATION REJECTED INTRUDER->DICOMARCHIVE");
        archive.Output.Should().Contain("result 1 source 1 reason 3").And.Contain("not a configured peer");
    }

    [Test]
    public async Task Negotiate_KnownCallerFromWrongAddress_Rejected()
    {
        await using var archive = await ArchiveProcess.StartAsync(root, null, Peers(restrict: true));

        var act = () => ConnectAsync(archive.Port, "FARAWAY");

        (await act.Should().ThrowAsync<DicomAssociationRejectedException>()).Which.Reason.Should().Be(3);
        await WaitForOutputAsync(archive, "not from its host 192.0.2.10");
    }

    [Test]
    [Category("Interop")]
    public async Task Dcmtk_StoreOnlyPeer_StorescuStoresFindscuAndEchoscuRefusedIntruderRejected()
    {
        Dcmtk.Require("storescu");
        Dcmtk.Require("findscu");
        var files = await TestInstances.WriteStudyAsync(Path.Combine(root, "in"), 1);
        await using var archive = await ArchiveProcess.StartAsync(root, null, Peers(restrict: true));
        var port = archive.Port.ToString(CultureInfo.InvariantCulture);

        var (code, output) = await Dcmtk.RunAsync("storescu", ["-v", "-aet", "MODALITY", "-aec", "DICOMARCHIVE", "127.0.0.1", port, files[0]]);
        code.Should().Be(0, output);
        output.Should().Contain("Received Store Response (Success)");

        (code, output) = await Dcmtk.RunAsync("findscu", ["-S", "-aet", "MODALITY", "-aec", "DICOMARCHIVE", "-k", "QueryRetrieveLevel=STUDY", "127.0.0.1", port]);
        code.Should().NotBe(0);
        output.Should().Contain("No Acceptable Presentation Contexts");

        (code, output) = await Dcmtk.RunAsync("echoscu", ["-aet", "INTRUDER", "-aec", "DICOMARCHIVE", "127.0.0.1", port]);
        code.Should().NotBe(0);
        output.Should().Contain("Calling AE Title Not Recognized");

        (code, output) = await Dcmtk.RunAsync("findscu", ["-S", "-aet", "VIEWER", "-aec", "DICOMARCHIVE", "-k", "QueryRetrieveLevel=STUDY", "127.0.0.1", port]);
        code.Should().Be(0, output);
    }

    private static async Task WaitForOutputAsync(ArchiveProcess archive, string text)
    {
        for (var i = 0; i < 100 && !archive.Output.Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
        }

        archive.Output.Should().Contain(text);
    }
}
