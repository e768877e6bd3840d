namespace DicomArchive.Dicom.Tests.IO.Reading;

[Category("Interop")]
public sealed class DicomReaderCorpusTests
{
    [Test]
    public async Task OpenAsync_PydicomCorpus_ReadsEveryFileDcmdumpReads()
    {
        var files = InteropEnvironment.CorpusFiles();
        var failures = new List<string>();
        int acceptedByBoth = 0, rejectedByBoth = 0, readButRejectedByDcmdump = 0;
        foreach (var file in files)
        {
            var dcmdumpAccepts = InteropEnvironment.DcmdumpAccepts(file);
            Exception? error = null;
            try
            {
                await DicomFileReader.OpenAsync(file);
            }
            catch (Exception ex)
            {
                error = ex;
            }

            var name = Path.GetFileName(file);
            if (error is not null and not DicomContentException)
            {
                failures.Add($"{name}: {error.GetType().Name} {error.Message}");
            }
            else if (dcmdumpAccepts && error is not null)
            {
                failures.Add($"{name}: dcmdump reads it, we throw {error.Message}");
            }
            else if (dcmdumpAccepts)
            {
                acceptedByBoth++;
            }
            else if (error is not null)
            {
                rejectedByBoth++;
            }
            else
            {
                readButRejectedByDcmdump++;
                TestContext.Out.WriteLine($"read, though dcmdump rejects it: {name}");
            }
        }

        TestContext.Out.WriteLine(
            $"{files.Count} files: {acceptedByBoth} read by both, {rejectedByBoth} rejected by both, {readButRejectedByDcmdump} read by us only");
        failures.Should().BeEmpty();
    }

    [Test]
    public void Read_RandomByteFlipsOfCorpusFiles_ThrowOnlyContentExceptions()
    {
        var files = InteropEnvironment.CorpusFiles()
            .Where(f => f.EndsWith(".dcm", StringComparison.Ordinal) && new FileInfo(f).Length < 64 * 1024)
            .ToList();
        var random = new Random(1125);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = File.ReadAllBytes(files[i % files.Count]);
            var flips = random.Next(1, 6);
            for (var f = 0; f < flips; f++)
            {
                // Flip bytes of the meta header and the first elements more often: that is where the structure is.
                var at = random.Next(2) == 0 ? random.Next(Math.Min(bytes.Length, 600)) : random.Next(bytes.Length);
                bytes[at] = (byte)random.Next(256);
            }

            // Vary the source and the options so that every path meets the damage: memory, seekable and
            // non-seekable streams, loaded and bulk values.
            var options = new DicomReaderOptions { BulkDataThreshold = i % 4 == 3 ? 64 : long.MaxValue };
            Action read = (i % 3) switch
            {
                0 => () => DicomFileReader.Read(bytes, options),
                1 => () => DicomFileReader.Read(new MemoryStream(bytes), options),
                _ => () => DicomFileReader.Read(new NonSeekableStream(new MemoryStream(bytes)), options),
            };
            var before = GC.GetAllocatedBytesForCurrentThread();
            var outcome = DicomReaderHostileInputTests.Outcome(read);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            outcome.Should().BeOneOf("read", nameof(DicomContentException));
            allocated.Should().BeLessThan((bytes.Length * 4L) + (4 * 1024 * 1024), "hostile lengths never become allocations");
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
        }

        TestContext.Out.WriteLine(string.Join(", ", counts.Select(kv => $"{kv.Key}: {kv.Value}")));
    }
}
