using System.Buffers.Binary;
using System.Globalization;
using DicomArchive.Dicom.Network.Dimse;

namespace DicomArchive.Dicom.Network.Tests.Fuzzing;

/// <summary>
/// A structured fuzzer for the DIMSE command reader (PS3.7 E.1): command sets built element by element from the
/// group 0000 dictionary — every known element with values of right, wrong and boundary sizes, duplicates, any order,
/// stray group lengths, foreign groups and lengths past the end. Contract: a command or a
/// <see cref="DicomContentException"/>; and whatever decodes re-encodes and decodes to the same command field.
/// DICOMARCHIVE_FUZZ_ITERATIONS sets the count of the explicit long run (docs/security.md).
/// </summary>
public sealed class DimseCommandStructuredFuzzTests
{
    static readonly ushort[] Elements =
    [
        0x0000, 0x0002, 0x0003, 0x0100, 0x0110, 0x0120, 0x0600, 0x0700, 0x0800, 0x0900, 0x0901, 0x0902, 0x0903, 0x1000, 0x1001, 0x1002,
        0x1005, 0x1008, 0x1020, 0x1021, 0x1022, 0x1023, 0x1030, 0x1031, 0x4000, 0x5010,
    ];

    static readonly ushort[] CommandFields =
        [0x0001, 0x8001, 0x0010, 0x8010, 0x0020, 0x8020, 0x0021, 0x8021, 0x0030, 0x8030, 0x0FFF, 0x0100, 0x8100, 0x0130, 0x8130, 0, 0xFFFF];

    [Test]
    public void Decode_StructuredCommandSets_Smoke_OnlyContentExceptions() => Run(30_000, seed: 20261125);

    [Test]
    [Explicit("Long run: DICOMARCHIVE_FUZZ_ITERATIONS=5000000 dotnet test --filter Name~LongRun (see docs/security.md)")]
    public void Decode_StructuredCommandSets_LongRun_OnlyContentExceptions()
    {
        int iterations = int.TryParse(Environment.GetEnvironmentVariable("DICOMARCHIVE_FUZZ_ITERATIONS"), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out int n) ? n : 1_000_000;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("DICOMARCHIVE_FUZZ_SEED"), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out int s) ? s : Environment.TickCount;
        Run(iterations, seed);
    }

    static void Run(int iterations, int seed)
    {
        var random = new Random(seed);
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < iterations; i++)
        {
            byte[] bytes = Build(random);
            try
            {
                DimseCommand command = DimseCommandCodec.Decode(bytes);
                DimseCommand again = DimseCommandCodec.Decode(DimseCommandCodec.Encode(command));
                again.CommandField.Should().Be(command.CommandField);
                again.MessageId.Should().Be(command.MessageId);
                decoded++;
            }
            catch (DicomContentException)
            {
                rejected++;
            }
            catch (Exception ex) when (ex is not AssertionException)
            {
                Assert.Fail($"seed {seed} iteration {i}: {ex.GetType().Name}: {ex.Message}\n{Convert.ToHexString(bytes)}\n{ex}");
            }
        }

        TestContext.Out.WriteLine($"{iterations} command sets (seed {seed}): {decoded} decoded and round-tripped, {rejected} rejected");
    }

    static byte[] Build(Random random)
    {
        using var stream = new MemoryStream();
        int count = random.Next(0, 12);
        bool commandFieldFirst = random.Next(4) > 0;
        if (commandFieldFirst)
        {
            Write(stream, random, 0x0000, 0x0100, UInt16(CommandFields[random.Next(CommandFields.Length)]));
        }

        for (int i = 0; i < count; i++)
        {
            ushort group = random.Next(30) == 0 ? (ushort)random.Next(1, 0x10000) : (ushort)0x0000;
            ushort element = random.Next(10) == 0 ? (ushort)random.Next(0x10000) : Elements[random.Next(Elements.Length)];
            Write(stream, random, group, element, Value(random, element));
        }

        byte[] bytes = stream.ToArray();
        return random.Next(25) == 0 && bytes.Length > 0 ? bytes[..random.Next(bytes.Length)] : bytes;
    }

    static void Write(MemoryStream stream, Random random, ushort group, ushort element, byte[] value)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        uint length = random.Next(15) switch
        {
            0 => (uint)value.Length + 1,
            1 => 0xFFFFFFFF,
            2 => (uint)Math.Max(0, value.Length - 1),
            _ => (uint)value.Length,
        };
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
        stream.Write(header);
        stream.Write(value);
    }

    static byte[] Value(Random random, ushort element)
    {
        switch (random.Next(5))
        {
            case 0:
                byte[] noise = new byte[random.Next(0, 40)];
                random.NextBytes(noise);
                return noise;
            case 1:
                return new byte[random.Next(0, 5)];
            default:
                return element switch
                {
                    0x0100 => UInt16(CommandFields[random.Next(CommandFields.Length)]),
                    0x0000 => UInt32((uint)random.Next()),
                    0x0002 or 0x0003 or 0x1000 or 0x1001 => Text(random, "0123456789.", 64),
                    0x0600 or 0x1030 => Text(random, "ABCXYZ 0123\\", 18),
                    0x0902 => Text(random, "abc \u00ff\\\0", 80),
                    0x0901 or 0x1005 => AttributeList(random),
                    _ => UInt16((ushort)random.Next(0x10000)),
                };
        }
    }

    static byte[] UInt16(ushort value)
    {
        byte[] bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return bytes;
    }

    static byte[] UInt32(uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    static byte[] Text(Random random, string alphabet, int max)
    {
        byte[] bytes = new byte[random.Next(0, max + 1)];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)alphabet[random.Next(alphabet.Length)];
        }

        return bytes;
    }

    static byte[] AttributeList(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 5) * 4 + (random.Next(6) == 0 ? random.Next(1, 4) : 0)];
        random.NextBytes(bytes);
        return bytes;
    }
}
