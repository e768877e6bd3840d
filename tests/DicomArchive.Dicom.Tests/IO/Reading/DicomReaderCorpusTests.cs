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
}
