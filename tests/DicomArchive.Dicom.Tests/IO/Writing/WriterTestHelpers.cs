using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;

namespace DicomArchive.Dicom.Tests.IO.Writing;

internal static class WriterTestHelpers
{
    public static byte[] Encode(DicomDataset dataset, TransferSyntax syntax, DicomWriterOptions? options = null)
    {
        var output = new ArrayBufferWriter<byte>();
        DicomDatasetWriter.Write(output, dataset, syntax, options);
        return output.WrittenSpan.ToArray();
    }

    public static async Task<byte[]> EncodeAsync(DicomDataset dataset, TransferSyntax syntax, DicomWriterOptions? options = null)
    {
        using var stream = new MemoryStream();
        await DicomDatasetWriter.WriteAsync(stream, dataset, syntax, options);
        return stream.ToArray();
    }

    /// <summary>Hex with optional spaces and '|' separators, as the standard's tables are read.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty).Replace("|", string.Empty));

    public static DicomDataset Dataset(params DicomElement[] elements) => new(elements);

    public static DicomValueElement Value(ushort group, ushort element, DicomVR vr, params byte[] bytes) =>
        new(new DicomTag(group, element), vr, bytes);

    public static DicomValueElement Text(ushort group, ushort element, DicomVR vr, string text) =>
        new(new DicomTag(group, element), vr, System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>The explicit VR little endian elements of a flat data set (no sequences): tag, VR, value offset, length.</summary>
    public static List<(DicomTag Tag, string VR, int ValueOffset, int Length)> ParseExplicitLittleEndian(ReadOnlySpan<byte> bytes, int offset, int end)
    {
        var result = new List<(DicomTag, string, int, int)>();
        while (offset < end)
        {
            var tag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(bytes[offset..]), BinaryPrimitives.ReadUInt16LittleEndian(bytes[(offset + 2)..]));
            var vr = System.Text.Encoding.ASCII.GetString(bytes.Slice(offset + 4, 2));
            int length, header;
            if (DicomVRInfo.TryParse(vr, out var parsed) && DicomVRInfo.HasLongExplicitLength(parsed))
            {
                length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 8)..]);
                header = 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(offset + 6)..]);
                header = 8;
            }

            result.Add((tag, vr, offset + header, length));
            offset += header + length;
        }

        return result;
    }

    public static (int ExitCode, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TCP_NODELAY"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} did not finish in 60 s");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Skips an interop test when the tool is missing, except on CI where it must be there.</summary>
    public static void RequireTool(string tool)
    {
        var found = Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
        if (found)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{tool} is required on CI");
        }

        Assert.Ignore($"{tool} is not installed");
    }
}
