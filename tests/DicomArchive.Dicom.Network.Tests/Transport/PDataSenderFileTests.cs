using DicomArchive.Dicom.Network.Pdus;
using DicomArchive.Dicom.Network.Transport;

namespace DicomArchive.Dicom.Network.Tests.Transport;

/// <summary>
/// The file path of <see cref="PDataSender"/>: whole P-DATA-TF PDUs laid out in a batch buffer, the file read straight
/// into them. Every PDU must still respect the peer's maximum length (PS3.8 D.1: it bounds the variable field, PDV
/// headers included), carry one PDV, and the last-fragment bits must be right (PS3.8 E.2).
/// </summary>
public sealed class PDataSenderFileTests
{
    private string directory = "";

    [SetUp]
    public void SetUp() => directory = Directory.CreateTempSubdirectory("pdatasender-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [TestCase(16384u, 0, 527_000)]
    [TestCase(16384u, 132, 527_000)]
    [TestCase(16384u, 0, 16378)]
    [TestCase(16384u, 0, 16379)]
    [TestCase(4096u, 0, 1_000_000)]
    [TestCase(106u, 10, 5_000)]
    [TestCase(0u, 0, 700_000)]
    [TestCase(1_048_576u, 0, 3_000_000)]
    [TestCase(16384u, 0, 1)]
    public async Task SendCommandAndFileAsync_AnySize_PdusWithinPeerMaximumAndDataSetIntact(uint peerMax, int start, int length)
    {
        byte[] content = RandomBytes(start + length);
        byte[] command = RandomBytes(150);
        var (pdus, commandBytes, dataBytes) = await SendAsync(content, start, command, peerMax);

        uint limit = peerMax == 0 ? (uint)PDataSender.UnlimitedFragmentLength + PresentationDataValue.HeaderLength : peerMax;
        pdus.Should().AllSatisfy(p => ((uint)p.BodyLength).Should().BeLessThanOrEqualTo(limit));
        pdus.Should().AllSatisfy(p => p.Values.Should().ContainSingle());
        commandBytes.Should().Equal(command);
        dataBytes.Should().Equal(content[start..]);
    }

    [Test]
    public async Task SendCommandAndFileAsync_CommandLongerThanPeerMaximum_CommandFragmentsFirstThenData()
    {
        byte[] content = RandomBytes(1000);
        byte[] command = RandomBytes(250);
        var (pdus, commandBytes, dataBytes) = await SendAsync(content, 0, command, peerMax: 106);

        var kinds = pdus.Select(p => (p.Values[0].IsCommand, p.Values[0].IsLastFragment)).ToList();
        kinds.Take(3).Should().Equal((true, false), (true, false), (true, true));
        kinds.Skip(3).Should().OnlyContain(k => !k.IsCommand);
        kinds.Skip(3).Select(k => k.IsLastFragment).Should().Equal(Enumerable.Range(0, 10).Select(i => i == 9));
        commandBytes.Should().Equal(command);
        dataBytes.Should().Equal(content);
    }

    [Test]
    public async Task SendCommandAndFileAsync_FileAtItsEnd_OneEmptyLastDataFragment()
    {
        byte[] content = RandomBytes(200);
        var (pdus, _, dataBytes) = await SendAsync(content, 200, RandomBytes(20), peerMax: 16384);

        pdus.Should().HaveCount(2);
        pdus[1].Values[0].IsCommand.Should().BeFalse();
        pdus[1].Values[0].IsLastFragment.Should().BeTrue();
        dataBytes.Should().BeEmpty();
    }

    [Test]
    public async Task SendCommandAndFileAsync_LargeFile_FewWritesToTheTransport()
    {
        string path = Path.Combine(directory, "large.bin");
        await File.WriteAllBytesAsync(path, RandomBytes(1_000_000));
        var transport = new CountingStream();
        await using (var connection = new PduConnection(transport, 16384))
        await using (var file = PositionalFileStream.OpenRead(path))
        {
            await PDataSender.SendCommandAndFileAsync(connection, 1, RandomBytes(100), file, 16384, CancellationToken.None);
            file.Position.Should().Be(file.Length);
        }

        // 1 MB at 16 KiB PDUs is 62 PDUs; a 256 KiB batch holds 15 of them, so 5 writes (the command in the first).
        int perBatch = (PDataSender.FileBatchLength - 200) / 16390 * 16378;
        transport.Writes.Should().Be((1_000_000 + perBatch - 1) / perBatch);
    }

    [Test]
    public async Task PositionalFileStream_ReadSeekAndPosition_BehaveAsAFile()
    {
        string path = Path.Combine(directory, "file.bin");
        byte[] content = RandomBytes(10_000);
        await File.WriteAllBytesAsync(path, content);
        await using var stream = PositionalFileStream.OpenRead(path);

        stream.Length.Should().Be(10_000);
        stream.Seek(100, SeekOrigin.Begin).Should().Be(100);
        byte[] buffer = new byte[50];
        (await stream.ReadAsync(buffer)).Should().Be(50);
        buffer.Should().Equal(content[100..150]);
        stream.Position.Should().Be(150);
        stream.Seek(-10, SeekOrigin.End);
        stream.Read(buffer, 0, 50).Should().Be(10);
        buffer[..10].Should().Equal(content[^10..]);
        stream.Read(buffer, 0, 50).Should().Be(0);
        stream.CanWrite.Should().BeFalse();
        FluentActions.Invoking(() => stream.Write(buffer, 0, 1)).Should().Throw<NotSupportedException>();
    }

    private async Task<(List<PDataTf> Pdus, byte[] Command, byte[] Data)> SendAsync(byte[] content, int start, byte[] command, uint peerMax)
    {
        string path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".bin");
        await File.WriteAllBytesAsync(path, content);
        var output = new MemoryStream();
        await using (var connection = new PduConnection(output, 16384))
        await using (var file = PositionalFileStream.OpenRead(path))
        {
            file.Position = start;
            await PDataSender.SendCommandAndFileAsync(connection, 3, command, file, peerMax, CancellationToken.None);
        }

        var pdus = new List<PDataTf>();
        var commandBytes = new List<byte>();
        var dataBytes = new List<byte>();
        await using var reader = new PduConnection(new MemoryStream(output.ToArray()), 2 * 1024 * 1024);
        while (await reader.ReadPduAsync(CancellationToken.None) is PDataTf pdu)
        {
            // The fragments point into the reader's buffer, valid until the next read: copy what is checked.
            pdus.Add(PDataTf.Decode(Copy(pdu)));
            PresentationDataValue pdv = pdu.Values[0];
            pdv.PresentationContextId.Should().Be(3);
            (pdv.IsCommand ? commandBytes : dataBytes).AddRange(pdv.Fragment.ToArray());
        }

        return (pdus, [.. commandBytes], [.. dataBytes]);
    }

    private static byte[] Copy(PDataTf pdu)
    {
        var body = new byte[pdu.BodyLength];
        int offset = 0;
        foreach (PresentationDataValue pdv in pdu.Values)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(offset), (uint)(2 + pdv.Fragment.Length));
            body[offset + 4] = pdv.PresentationContextId;
            body[offset + 5] = (byte)((pdv.IsCommand ? 1 : 0) | (pdv.IsLastFragment ? 2 : 0));
            pdv.Fragment.Span.CopyTo(body.AsSpan(offset + 6));
            offset += 6 + pdv.Fragment.Length;
        }

        return body;
    }

    private static byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A transport that counts the writes it is given.</summary>
    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Writes++;
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }
    }
}
