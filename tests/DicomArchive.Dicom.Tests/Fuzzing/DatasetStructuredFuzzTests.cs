using System.Buffers.Binary;
using System.Globalization;
using DicomArchive.Dicom.Json;

namespace DicomArchive.Dicom.Tests.Fuzzing;

/// <summary>
/// A structured (grammar-aware) fuzzer for the data set reader: it builds element streams from PS3.5 7.1 parts — tags
/// of every kind, valid and invalid VRs, lengths at the boundaries (0, odd, exact, one off, undefined, huge), nested
/// sequences with defined and undefined lengths and stray delimiters — in each uncompressed transfer syntax, then reads
/// them and renders what was read as DICOM JSON. The contract: a result or a <see cref="DicomContentException"/>,
/// nothing else. The suite runs a short smoke; DICOMARCHIVE_FUZZ_ITERATIONS sets the count of the explicit long run.
/// </summary>
public sealed class DatasetStructuredFuzzTests
{
    private static readonly string[] Vrs =
    [
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL",
        "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV", "XX", "\0\0", "ob",
    ];

    private static readonly (ushort Group, ushort Element)[] Tags =
    [
        (0x0008, 0x0005), (0x0008, 0x0016), (0x0008, 0x0018), (0x0008, 0x0020), (0x0008, 0x1115), (0x0010, 0x0010), (0x0010, 0x0020),
        (0x0020, 0x000D), (0x0028, 0x0010), (0x0028, 0x0100), (0x0028, 0x9145), (0x0040, 0xA730), (0x0009, 0x0010), (0x0009, 0x1001),
        (0x7FE0, 0x0010), (0x0002, 0x0010), (0x0000, 0x0000), (0xFFFE, 0xE000), (0xFFFE, 0xE00D), (0xFFFE, 0xE0DD), (0xFFFF, 0xFFFF),
        (0x0018, 0x6011), (0x0054, 0x0016),
    ];

    private static readonly TransferSyntax[] Syntaxes =
        [TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian];

    [Test]
    public void Read_StructuredMutations_Smoke_OnlyContentExceptions() => Run(20_000, seed: 20261125);

    [Test]
    [Explicit("Long run: DICOMARCHIVE_FUZZ_ITERATIONS=1000000 dotnet test --filter Name~LongRun (see docs/security.md)")]
    public void Read_StructuredMutations_LongRun_OnlyContentExceptions()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("DICOMARCHIVE_FUZZ_ITERATIONS"), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out var n) ? n : 200_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DICOMARCHIVE_FUZZ_SEED"), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out var s) ? s : Environment.TickCount;
        Run(iterations, seed);
    }

    private static void Run(int iterations, int seed)
    {
        var random = new Random(seed);
        var stats = new int[2];
        for (var i = 0; i < iterations; i++)
        {
            var syntax = Syntaxes[random.Next(Syntaxes.Length)];
            var bytes = Build(random, syntax, depth: 0, budget: random.Next(1, 12));
            try
            {
                var dataset = DicomDatasetReader.Read(bytes, syntax);
                _ = DicomJsonWriter.ToJson(dataset);
                stats[0]++;
            }
            catch (DicomContentException)
            {
                stats[1]++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed} iteration {i} ({syntax.Uid}): {ex.GetType().Name}: {ex.Message}\n{Convert.ToHexString(bytes)}\n{ex}");
            }
        }

        TestContext.Out.WriteLine($"{iterations} inputs (seed {seed}): {stats[0]} read, {stats[1]} rejected with DicomContentException");
    }

    private static byte[] Build(Random random, TransferSyntax syntax, int depth, int budget)
    {
        using var stream = new MemoryStream();
        for (var e = 0; e < budget; e++)
        {
            WriteElement(stream, random, syntax, depth);
        }

        return stream.ToArray();
    }

    private static void WriteElement(MemoryStream stream, Random random, TransferSyntax syntax, int depth)
    {
        var (group, element) = random.Next(8) == 0 ? ((ushort)random.Next(0x10000), (ushort)random.Next(0x10000)) : Tags[random.Next(Tags.Length)];
        var vr = Vrs[random.Next(Vrs.Length)];
        byte[] value;
        var undefined = false;
        if ((vr == "SQ" || vr == "UN" || vr == "OB") && depth < 4 && random.Next(3) > 0)
        {
            value = Sequence(random, syntax, depth + 1, out undefined);
        }
        else
        {
            value = Value(random, vr);
        }

        var length = undefined ? 0xFFFFFFFFu : Length(random, value.Length);
        WriteHeader(stream, syntax, group, element, vr, length);
        stream.Write(random.Next(20) == 0 ? value.AsSpan(0, random.Next(value.Length + 1)) : value);
    }

    private static byte[] Sequence(Random random, TransferSyntax syntax, int depth, out bool undefined)
    {
        undefined = random.Next(2) == 0;
        using var stream = new MemoryStream();
        var items = random.Next(0, 3);
        for (var i = 0; i < items; i++)
        {
            var itemUndefined = random.Next(2) == 0;
            var body = Build(random, syntax, depth, random.Next(0, 4));
            WriteHeader(stream, syntax, 0xFFFE, 0xE000, null, itemUndefined ? 0xFFFFFFFFu : Length(random, body.Length));
            stream.Write(body);
            if (itemUndefined && random.Next(8) > 0)
            {
                WriteHeader(stream, syntax, 0xFFFE, 0xE00D, null, 0);
            }
        }

        if (undefined && random.Next(8) > 0)
        {
            WriteHeader(stream, syntax, 0xFFFE, 0xE0DD, null, (uint)(random.Next(10) == 0 ? 4 : 0));
        }

        return stream.ToArray();
    }

    /// <summary>Mostly the true length; sometimes a boundary value around it or a hostile one.</summary>
    private static uint Length(Random random, int actual) => random.Next(10) switch
    {
        0 => (uint)Math.Max(0, actual - 1),
        1 => (uint)actual + 1,
        2 => (uint)random.Next(0, 4) switch { 0 => 0xFFFFFFFF, 1 => 0x7FFFFFFF, 2 => 0xFFFFFFF0, _ => 0x10000 },
        3 => 0,
        _ => (uint)actual,
    };

    private static byte[] Value(Random random, string vr)
    {
        var size = random.Next(6) switch { 0 => 0, 1 => 1, 2 => random.Next(2, 9), 3 => random.Next(9, 70), 4 => 3, _ => random.Next(0, 300) };
        var value = new byte[size];
        switch (random.Next(4))
        {
            case 0:
                random.NextBytes(value);
                break;
            case 1:
                // Text-like: digits, separators, backslashes, escape sequences, high bytes.
                const string alphabet = "0123456789.-+eE ^=\\\u001b$B()ABCxyz\u00e9";
                for (var i = 0; i < size; i++)
                {
                    value[i] = (byte)alphabet[random.Next(alphabet.Length)];
                }

                break;
            case 2:
                if (vr == "US" && size >= 2)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(value, (ushort)random.Next(0x10000));
                }

                break;
            default:
                Array.Fill(value, (byte)random.Next(256));
                break;
        }

        return value;
    }

    private static void WriteHeader(MemoryStream stream, TransferSyntax syntax, ushort group, ushort element, string? vr, uint length)
    {
        var big = syntax == TransferSyntax.ExplicitVRBigEndian && group != 0xFFFE;
        Span<byte> buffer = stackalloc byte[12];
        if (big)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer, group);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], element);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer, group);
            BinaryPrimitives.WriteUInt16LittleEndian(buffer[2..], element);
        }

        var explicitVr = syntax != TransferSyntax.ImplicitVRLittleEndian && group != 0xFFFE && vr is not null;
        if (!explicitVr)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], length);
            stream.Write(buffer[..8]);
            return;
        }

        buffer[4] = (byte)vr![0];
        buffer[5] = (byte)vr[1];
        var longForm = vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "SV" or "UC" or "UN" or "UR" or "UT" or "UV" or "XX";
        if (longForm)
        {
            buffer[6] = 0;
            buffer[7] = 0;
            if (big)
            {
                BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], length);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], length);
            }

            stream.Write(buffer[..12]);
        }
        else
        {
            var shortLength = (ushort)Math.Min(length, 0xFFFF);
            if (big)
            {
                BinaryPrimitives.WriteUInt16BigEndian(buffer[6..], shortLength);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(buffer[6..], shortLength);
            }

            stream.Write(buffer[..8]);
        }
    }
}
