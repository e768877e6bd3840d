using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Server;
using DicomArchive.Dicom.Network.Tests.Server;

namespace DicomArchive.Dicom.Network.Tests.Interop;

/// <summary>DCMTK findscu/getscu against the minimal C-FIND and C-GET paths of our server.</summary>
[Category("Interop")]
[CancelAfter(60_000)]
public sealed class QueryRetrieveInteropTests
{
    const string CtSmall = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

    /// <summary>Encodes a few text elements in the request's (uncompressed little endian) transfer syntax.</summary>
    static byte[] Identifier(string transferSyntax, params (ushort Group, ushort Element, string Vr, string Value)[] elements)
    {
        bool explicitVr = transferSyntax != DicomNetworkUids.ImplicitVRLittleEndian;
        var bytes = new List<byte>();
        foreach (var (group, element, vr, value) in elements)
        {
            byte[] text = Encoding.ASCII.GetBytes(value);
            int length = text.Length + (text.Length & 1);
            byte[] header = new byte[8];
            BinaryPrimitives.WriteUInt16LittleEndian(header, group);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), element);
            if (explicitVr)
            {
                header[4] = (byte)vr[0];
                header[5] = (byte)vr[1];
                BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), (ushort)length);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)length);
            }

            bytes.AddRange(header);
            bytes.AddRange(text);
            if (length != text.Length)
            {
                bytes.Add(vr == "UI" ? (byte)0 : (byte)' ');
            }
        }

        return [.. bytes];
    }

    sealed class TwoMatchesFindHandler : IFindHandler
    {
        public async IAsyncEnumerable<FindResult> OnFindAsync(DimseRequest request, ReadOnlyMemory<byte> identifier,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (string name in new[] { "DOE^JOHN", "ROE^JANE" })
            {
                yield return new FindResult(DimseStatus.Pending, Identifier(request.TransferSyntaxUid,
                    (0x0008, 0x0052, "CS", "STUDY"), (0x0010, 0x0010, "PN", name), (0x0020, 0x000D, "UI", "1.2.3." + name.Length)));
            }
        }
    }

    sealed class OneFileGetHandler : IGetHandler
    {
        public DimseStatus? SubOperationStatus { get; private set; }

        public async IAsyncEnumerable<RetrieveStatus> OnGetAsync(DimseRequest request, ReadOnlyMemory<byte> identifier,
            IGetSubOperationSender sender, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await using FileStream file = File.OpenRead(CtSmall);
            Part10Header header = await Part10Header.ReadAsync(file, cancellationToken);
            yield return new RetrieveStatus(DimseStatus.Pending, 1, 0, 0, 0);
            DimseStatus status = await sender.StoreAsync(header.SopClassUid, header.SopInstanceUid, header.TransferSyntaxUid, file,
                cancellationToken);
            SubOperationStatus = status;
            yield return new RetrieveStatus(status.IsFailure ? DimseStatus.WarningB000 : DimseStatus.Success, 0,
                status.IsFailure ? (ushort)0 : (ushort)1, status.IsFailure ? (ushort)1 : (ushort)0, 0);
        }
    }

    [Test]
    public async Task Findscu_AgainstOurServer_ReceivesPendingMatches()
    {
        DcmtkTool.Require("findscu");
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Find = new TwoMatchesFindHandler() });

        var (exit, output) = await DcmtkTool.RunAsync(TimeSpan.FromSeconds(30), "findscu", "-v", "-S", "-aec", ServerFixture.AeTitle,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName", "-k", "StudyInstanceUID",
            "127.0.0.1", server.Port().ToString(System.Globalization.CultureInfo.InvariantCulture));

        exit.Should().Be(0, output);
        output.Should().Contain("DOE^JOHN").And.Contain("ROE^JANE");
    }

    [Test]
    public async Task Getscu_WithRoleSelection_ReceivesInstanceOnSameAssociation()
    {
        DcmtkTool.Require("getscu");
        if (!File.Exists(CtSmall))
        {
            Assert.Ignore("pydicom test files are not installed");
        }

        var handler = new OneFileGetHandler();
        await using DicomServer server = await ServerFixture.StartAsync(new DicomServiceHandlers { Get = handler });
        string outputDir = Directory.CreateTempSubdirectory("getscu-").FullName;
        try
        {
            var (exit, output) = await DcmtkTool.RunAsync(TimeSpan.FromSeconds(30), "getscu", "-v", "-S", "-aec", ServerFixture.AeTitle,
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3", "-od", outputDir,
                "127.0.0.1", server.Port().ToString(System.Globalization.CultureInfo.InvariantCulture));

            exit.Should().Be(0, output);
            handler.SubOperationStatus.Should().Be(DimseStatus.Success, output);
            Directory.EnumerateFiles(outputDir).Should().ContainSingle(output);
        }
        finally
        {
            Directory.Delete(outputDir, recursive: true);
        }
    }
}
