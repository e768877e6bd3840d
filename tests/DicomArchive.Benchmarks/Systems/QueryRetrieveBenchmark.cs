using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using DicomArchive.Dicom;
using DicomArchive.Dicom.Network.Client;
using DicomArchive.Dicom.Network.Dimse;
using DicomArchive.Dicom.Network.Items;
using DicomArchive.Dicom.Network.Server;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// Issue 6 and 7 measures, side by side: each query/retrieve system is started once with an empty store, given the
/// same query corpus and retrieve study through our SCU (untimed), then asked the same C-FIND queries on one
/// association (our DicomClient, request to final response) and asked to C-MOVE the retrieve study to a DCMTK
/// storescp --ignore and to a file-writing storescp, and to C-GET it into our SCU (discarding store handler).
/// The baseline is DCMTK storescu sending the same files to the same storescp.
/// </summary>
public sealed class QueryRetrieveBenchmark(
    string workDirectory,
    IReadOnlyList<string> queryFiles,
    IReadOnlyList<string> retrieveFiles,
    int queriesPerType,
    int retrieveRuns,
    int largeIndexInstances = 0,
    bool findOnly = false)
{
    public const string ScuAeTitle = "BENCHSCU";
    public const string SinkAeTitle = "SINKSCP";
    public const string FilesAeTitle = "FILESSCP";
    private const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    private const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";
    private const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";
    private const string ExplicitLittle = "1.2.840.10008.1.2.1";
    private const string ImplicitLittle = "1.2.840.10008.1.2";

    /// <summary>The systems to compare: built once the destination ports are known.</summary>
    public async Task RunAsync(string publishDirectory, bool includeOrthanc, SystemReport report, CancellationToken ct)
    {
        // No query corpus (--retrieve-only): the retrieve measures alone.
        var measureFind = queryFiles.Count > 0;
        var queries = measureFind ? await BuildQueriesAsync(ct) : new QuerySet(0, 0, []);
        var retrieveStudy = await StudyUidAsync(retrieveFiles[0], ct);
        var retrieveBytes = retrieveFiles.Sum(f => new FileInfo(f).Length);
        if (measureFind)
        {
            report.QueryRetrieveSetup.Add(string.Create(CultureInfo.InvariantCulture,
                $"Query corpus: {queryFiles.Count} MR-like instances in {queries.StudyCount} studies of {queries.PatientCount} patients; {queriesPerType} study-level queries per type on one association, 13 keys asked (incl. computed ModalitiesInStudy, NumberOfStudyRelatedInstances), after 20 untimed queries per type."));
        }

        if (!findOnly)
        {
            report.QueryRetrieveSetup.Add(string.Create(CultureInfo.InvariantCulture,
                $"Retrieve study: {retrieveFiles.Count} CT instances, {retrieveBytes / 1e6:F1} MB, one series; study-level Study Root C-MOVE/C-GET, {retrieveRuns} runs each (median, min-max), after one untimed C-MOVE to the discarding destination."));
        }

        var sinkDir = Path.Combine(workDirectory, "qr", "sink");
        var filesDir = Path.Combine(workDirectory, "qr", "files");
        Directory.CreateDirectory(sinkDir);
        Directory.CreateDirectory(filesDir);
        await using var sink = await new StorescpSystem(ignore: true).StartAsync(sinkDir, ct);
        await using var files = await new StorescpSystem(ignore: false).StartAsync(filesDir, ct);
        var destinations = new (string AeTitle, string Label, RunningServer Server)[]
        {
            (SinkAeTitle, "storescp --ignore", sink),
            (FilesAeTitle, "storescp (files)", files),
        };

        // The baseline: storescu sends the same files to the same storescp, one association.
        var storescu = new StorescuClient();
        if (!findOnly && storescu.Unavailable() is null)
        {
            foreach (var (_, label, server) in destinations)
            {
                var row = new RetrieveThroughput
                {
                    Operation = "C-STORE (storescu)", Destination = label, System = "DCMTK storescu", Instances = retrieveFiles.Count, Bytes = retrieveBytes,
                };
                report.Retrieves.Add(row);
                await storescu.SendAsync(server, retrieveFiles, 1, ct); // warm-up, untimed
                for (var run = 0; run < retrieveRuns; run++)
                {
                    // storescu's own CPU: what this process's reaped children used meanwhile (storescu is the only one).
                    var childrenBefore = ServerProcess.ReapedChildrenCpuTime();
                    var result = await storescu.SendAsync(server, retrieveFiles, 1, ct);
                    if (childrenBefore is { } before && ServerProcess.ReapedChildrenCpuTime() is { } after)
                    {
                        row.ServerCpuSeconds.Add((after - before).TotalSeconds);
                    }

                    row.Seconds.Add(result.Elapsed.TotalSeconds);
                    row.Failed += result.Failures;
                    row.Completed += retrieveFiles.Count - result.Failures;
                }

                Print(row);
            }
        }

        List<BenchmarkSystem> systems =
        [
            new ArchiveSystem(publishDirectory, "ours", "this archive as shipped (FsyncPolicy=Always, 256 KiB PDU), Archive:Peers for the destinations with their defaults (MaxAssociations 4, AssociationsPerMove 3: a C-MOVE sends over up to 3 associations at once)",
            [
                $"--Archive:Peers:0:AeTitle={SinkAeTitle}", "--Archive:Peers:0:Host=127.0.0.1", $"--Archive:Peers:0:Port={sink.Port.ToString(CultureInfo.InvariantCulture)}",
                $"--Archive:Peers:1:AeTitle={FilesAeTitle}", "--Archive:Peers:1:Host=127.0.0.1", $"--Archive:Peers:1:Port={files.Port.ToString(CultureInfo.InvariantCulture)}",
            ]),
        ];
        if (includeOrthanc)
        {
            systems.Add(new OrthancSystem([(SinkAeTitle, sink.Port), (FilesAeTitle, files.Port), (ScuAeTitle, 104)]));
        }

        foreach (var system in systems)
        {
            if (system.Unavailable() is { } why)
            {
                report.Notes.Add($"query/retrieve: {system.Name} {why}");
                continue;
            }

            var dataDirectory = Path.Combine(workDirectory, "qr", system.Name.Replace(' ', '-'));
            Directory.CreateDirectory(dataDirectory);
            try
            {
                await using var server = await system.StartAsync(dataDirectory, ct);
                var client = new OwnScuClient();
                var load = await client.SendAsync(server, findOnly ? queryFiles : [.. queryFiles, .. retrieveFiles], 1, ct);
                if (load.Failures > 0)
                {
                    report.Notes.Add($"query/retrieve: loading {system.Name} failed: {load.Error}");
                    continue;
                }

                if (measureFind)
                {
                    await MeasureFindAsync(system, server, queries, report, ct);
                    if (server.Process.CpuSeconds() is { } cpu)
                    {
                        report.QueryRetrieveSetup.Add(string.Create(CultureInfo.InvariantCulture,
                            $"Server CPU (user+system) of {system.Name} after loading and the C-FIND measures: {cpu:F1} s."));
                    }
                }

                foreach (var (aeTitle, label, _) in findOnly ? [] : destinations)
                {
                    await MeasureMoveAsync(system, server, aeTitle, label, retrieveStudy, retrieveBytes, report, ct);
                }

                if (!findOnly)
                {
                    await MeasureGetAsync(system, server, retrieveStudy, retrieveBytes, report, ct);
                }
                if (server.Process.PeakResidentBytes() is { } peak)
                {
                    report.QueryRetrieveSetup.Add(string.Create(CultureInfo.InvariantCulture,
                        $"Peak RSS of {system.Name} over loading, queries{(findOnly ? "" : " and retrieves")}: {peak / 1048576.0:F0} MB."));
                }

                await server.Process.StopAsync(TimeSpan.FromSeconds(15));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                report.Notes.Add($"query/retrieve: {system.Name} failed: {ex.GetType().Name}: {ex.Message}");
            }
        }

        if (largeIndexInstances > 0)
        {
            await MeasureLargeIndexAsync(publishDirectory, report, ct);
        }

        foreach (var peer in report.FindLatencies.Where(f => !f.IsOurs))
        {
            var ours = report.FindLatencies.FirstOrDefault(f => f.IsOurs && f.QueryType == peer.QueryType && f.Client == peer.Client);
            var values = queries.ByType.First(q => q.Type == peer.QueryType).Values;
            if (ours is null || ours.Matches == peer.Matches)
            {
                continue;
            }

            var differing = Enumerable.Range(0, Math.Min(ours.MatchesPerQuery.Count, peer.MatchesPerQuery.Count))
                .Where(i => ours.MatchesPerQuery[i] != peer.MatchesPerQuery[i])
                .Select(i => $"'{values[i % values.Count]}' ours {ours.MatchesPerQuery[i]}, {peer.System} {peer.MatchesPerQuery[i]}")
                .Distinct().Take(3);
            report.Notes.Add($"C-FIND {peer.QueryType} ({peer.Client}): ours returned {ours.Matches} matches in total, {peer.System} {peer.Matches} (e.g. {string.Join("; ", differing)}).");
        }
    }

    /// <summary>Issue 6's large index, ours only: built through the storage layer, then the archive started on it and queried.</summary>
    private async Task MeasureLargeIndexAsync(string publishDirectory, SystemReport report, CancellationToken ct)
    {
        var dataDirectory = Path.Combine(workDirectory, "qr", "large-index");
        Directory.CreateDirectory(dataDirectory);
        try
        {
            Console.WriteLine($"  building a {largeIndexInstances:N0}-instance index through IndexBulkLoader ...");
            var build = Stopwatch.StartNew();
            var loaded = await LargeIndexQueries.BuildAsync(dataDirectory, largeIndexInstances, ct);
            var buildSeconds = build.Elapsed.TotalSeconds;
            var system = new ArchiveSystem(publishDirectory, "ours", "this archive as shipped, on the bulk-loaded index", []);
            var start = Stopwatch.StartNew();
            await using var server = await system.StartAsync(dataDirectory, ct);
            var startSeconds = start.Elapsed.TotalSeconds;
            var patients = LargeIndexQueries.Patients(largeIndexInstances);
            report.QueryRetrieveSetup.Add(string.Create(CultureInfo.InvariantCulture,
                $"Large index (ours only): {loaded:N0} instances, {patients:N0} patients, {patients * 5:N0} studies, bulk-loaded in {buildSeconds:F0} s (no files: C-FIND reads only the index); the archive listened {startSeconds:F1} s after its process started."));
            await MeasureFindAsync(system, server, new QuerySet(patients, patients * 5, LargeIndexQueries.Queries(largeIndexInstances, Study)), report, ct);
            if (server.Process.PeakResidentBytes() is { } peak)
            {
                report.QueryRetrieveSetup.Add(string.Create(CultureInfo.InvariantCulture, $"Peak RSS of ours on the large index: {peak / 1048576.0:F0} MB."));
            }

            await server.Process.StopAsync(TimeSpan.FromSeconds(15));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            report.Notes.Add($"query/retrieve: the large-index run failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task MeasureFindAsync(BenchmarkSystem system, RunningServer server, QuerySet queries, SystemReport report, CancellationToken ct)
    {
        var options = new DicomClientOptions { CalledAeTitle = server.CalledAeTitle, CallingAeTitle = ScuAeTitle, MaxPduLength = 16384 };
        PresentationContextRequest[] contexts = [new(1, StudyRootFind, ExplicitLittle, ImplicitLittle)];
        await using var client = await DicomClient.ConnectAsync("127.0.0.1", server.Port, options, contexts, cancellationToken: ct);
        foreach (var (type, identifiers, _) in queries.ByType)
        {
            var row = new FindLatency { QueryType = type, System = system.Name, Client = "DicomClient, one association", IsOurs = system.IsOurs };
            report.FindLatencies.Add(row);
            try
            {
                for (var i = 0; i < 20; i++)
                {
                    await RunFindAsync(client, identifiers[i % identifiers.Count], ct);
                }

                var times = new List<double>(queriesPerType);
                var cpuBefore = server.Process.CpuSeconds();
                for (var i = 0; i < queriesPerType; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var matches = await RunFindAsync(client, identifiers[i % identifiers.Count], ct);
                    row.Matches += matches;
                    row.MatchesPerQuery.Add(matches);
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }

                if (cpuBefore is { } before && server.Process.CpuSeconds() is { } after)
                {
                    row.ServerCpuMillisecondsPerQuery = (after - before) * 1000 / queriesPerType;
                }

                times.Sort();
                row.Queries = times.Count;
                row.P50Milliseconds = FindLatency.Percentile(times, 0.50);
                row.P99Milliseconds = FindLatency.Percentile(times, 0.99);
                row.MaxMilliseconds = times[^1];
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                row.Status = "failed: " + ex.Message;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  C-FIND {type,-24} {system.Name,-8} p50 {row.P50Milliseconds,6:F2} ms  p99 {row.P99Milliseconds,6:F2} ms  server CPU {row.ServerCpuMillisecondsPerQuery ?? 0,6:F2} ms/query  matches {row.Matches} {(row.Status == "ok" ? "" : row.Status)}"));
        }

        await client.ReleaseAsync(ct);
        await MeasureFindscuAsync(system, server, queries.ByType[0], report, ct);
    }

    /// <summary>
    /// DCMTK findscu, one process (and association) per query, as a script would call it: the time includes the
    /// process start, so it shows what a command-line client sees rather than the server alone.
    /// </summary>
    private static async Task MeasureFindscuAsync(BenchmarkSystem system, RunningServer server,
        (string Type, List<ReadOnlyMemory<byte>> Identifiers, List<string> Values) queryType, SystemReport report, CancellationToken ct)
    {
        if (!File.Exists("/usr/bin/findscu"))
        {
            return;
        }

        const int count = 30;
        var row = new FindLatency { QueryType = queryType.Type, System = system.Name, Client = "findscu, one process per query", IsOurs = system.IsOurs };
        report.FindLatencies.Add(row);
        var times = new List<double>(count);
        for (var i = -3; i < count; i++)
        {
            var info = new ProcessStartInfo("/usr/bin/findscu") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["TCP_NODELAY"] = "1";
            foreach (var arg in (string[])["-v", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=" + queryType.Values[(i + 3) % queryType.Values.Count],
                "-k", "StudyInstanceUID", "-k", "PatientName", "-k", "StudyDate", "-k", "AccessionNumber", "-k", "StudyDescription",
                "-aet", ScuAeTitle, "-aec", server.CalledAeTitle, "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)])
            {
                info.ArgumentList.Add(arg);
            }

            var start = Stopwatch.GetTimestamp();
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = await process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var output = await stdout + stderr;
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (process.ExitCode != 0)
            {
                row.Status = $"failed: findscu exit {process.ExitCode}: {stderr[..Math.Min(200, stderr.Length)]}";
                break;
            }

            if (i >= 0)
            {
                times.Add(elapsed);
                row.Matches += CountOccurrences(output, "(Pending)");
            }
        }

        if (times.Count > 0)
        {
            times.Sort();
            row.Queries = times.Count;
            row.P50Milliseconds = FindLatency.Percentile(times, 0.50);
            row.P99Milliseconds = FindLatency.Percentile(times, 0.99);
            row.MaxMilliseconds = times[^1];
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  findscu {queryType.Type,-23} {system.Name,-8} p50 {row.P50Milliseconds,6:F2} ms  p99 {row.P99Milliseconds,6:F2} ms  matches {row.Matches} {(row.Status == "ok" ? "" : row.Status)}"));
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task<int> RunFindAsync(DicomClient client, ReadOnlyMemory<byte> identifier, CancellationToken ct)
    {
        var matches = 0;
        await foreach (var response in client.FindAsync(StudyRootFind, identifier, ct))
        {
            if (response.Status.IsPending)
            {
                matches++;
            }
            else if (!response.Status.IsSuccess)
            {
                throw new InvalidOperationException($"C-FIND status {response.Status}");
            }
        }

        return matches;
    }

    private async Task MeasureMoveAsync(BenchmarkSystem system, RunningServer server, string destination, string label, string study, long bytes,
        SystemReport report, CancellationToken ct)
    {
        var row = new RetrieveThroughput
        {
            Operation = "C-MOVE", Destination = label, System = system.Name, IsOurs = system.IsOurs, Instances = retrieveFiles.Count, Bytes = bytes,
        };
        report.Retrieves.Add(row);
        var options = new DicomClientOptions { CalledAeTitle = server.CalledAeTitle, CallingAeTitle = ScuAeTitle, MaxPduLength = 16384 };
        PresentationContextRequest[] contexts = [new(1, StudyRootMove, ExplicitLittle, ImplicitLittle)];
        try
        {
            await using var client = await DicomClient.ConnectAsync("127.0.0.1", server.Port, options, contexts, cancellationToken: ct);
            for (var run = -1; run < retrieveRuns; run++)
            {
                var probe = RetrieveProbe.Start(server.Process);
                var start = Stopwatch.GetTimestamp();
                DimseResponse? last = null;
                await foreach (var response in client.MoveAsync(StudyRootMove, destination, StudyIdentifier(study), ct))
                {
                    last = response;
                }

                var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                Count(row, last, run, seconds, await probe.StopAsync());
            }

            await client.ReleaseAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            row.Status = "failed: " + ex.Message;
        }

        Print(row);
    }

    private async Task MeasureGetAsync(BenchmarkSystem system, RunningServer server, string study, long bytes, SystemReport report, CancellationToken ct)
    {
        var row = new RetrieveThroughput
        {
            Operation = "C-GET", Destination = "DicomClient (discards)", System = system.Name, IsOurs = system.IsOurs, Instances = retrieveFiles.Count, Bytes = bytes,
        };
        report.Retrieves.Add(row);
        var options = new DicomClientOptions { CalledAeTitle = server.CalledAeTitle, CallingAeTitle = ScuAeTitle, MaxPduLength = 16384 };
        options.RoleSelections.Add(new ScpScuRoleSelection(Corpus.CtDatasetBuilder.SopClassUid, ScuRole: false, ScpRole: true));
        PresentationContextRequest[] contexts =
        [
            new(1, StudyRootGet, ExplicitLittle, ImplicitLittle),
            new(3, Corpus.CtDatasetBuilder.SopClassUid, ExplicitLittle, ImplicitLittle),
        ];
        try
        {
            await using var client = await DicomClient.ConnectAsync("127.0.0.1", server.Port, options, contexts, cancellationToken: ct);
            var handler = new DiscardingStoreHandler();
            for (var run = -1; run < retrieveRuns; run++)
            {
                handler.Received = 0;
                var probe = RetrieveProbe.Start(server.Process);
                var start = Stopwatch.GetTimestamp();
                DimseResponse? last = null;
                await foreach (var response in client.GetAsync(StudyRootGet, StudyIdentifier(study), handler, ct))
                {
                    last = response;
                }

                var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                Count(row, last, run, seconds, await probe.StopAsync());
                if (run >= 0 && handler.Received != retrieveFiles.Count)
                {
                    row.Status = $"failed: received {handler.Received} of {retrieveFiles.Count}";
                }
            }

            await client.ReleaseAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            row.Status = "failed: " + ex.Message;
        }

        Print(row);
    }

    /// <summary>Run -1 is the untimed warm-up; a final status other than success marks the row failed.</summary>
    private void Count(RetrieveThroughput row, DimseResponse? last, int run, double seconds, RetrieveSample sample)
    {
        if (last is null || !last.Status.IsSuccess)
        {
            row.Status = $"failed: final status {last?.Status.ToString() ?? "none"}, completed {last?.Command.CompletedSuboperations}, failed {last?.Command.FailedSuboperations}";
            return;
        }

        if (run < 0)
        {
            return;
        }

        row.Seconds.Add(seconds);
        row.Memory.Add(sample);
        if (sample.CpuSeconds is { } cpu)
        {
            row.ServerCpuSeconds.Add(cpu);
        }

        row.Completed += last.Command.CompletedSuboperations ?? retrieveFiles.Count;
        row.Failed += last.Command.FailedSuboperations ?? 0;
    }

    private static void Print(RetrieveThroughput row) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {row.Operation,-18} {row.System,-14} -> {row.Destination,-22} {row.MedianInstancesPerSecond,7:F0} inst/s ({row.MinInstancesPerSecond:F0}-{row.MaxInstancesPerSecond:F0}){(row.ServerCpuMillisecondsPerInstance is { } cpu ? $"  sender CPU {cpu:F3} ms/inst" : "")}{(row.PeakResidentBytes is { } peak ? $"  peak RSS {peak / 1048576.0:F0} MB" : "")} {(row.Status == "ok" ? "" : row.Status)}"));

    private static ReadOnlyMemory<byte> StudyIdentifier(string study)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, "STUDY");
        identifier.AddOrUpdate(DicomTag.StudyInstanceUID, study);
        return Encode(identifier);
    }

    private static ReadOnlyMemory<byte> Encode(DicomDataset identifier)
    {
        var buffer = new ArrayBufferWriter<byte>();
        DicomDatasetWriter.Write(buffer, identifier, TransferSyntax.ExplicitVRLittleEndian);
        return buffer.WrittenMemory;
    }

    private static async Task<string> StudyUidAsync(string file, CancellationToken ct)
    {
        var dicom = await DicomFileReader.OpenAsync(file, new DicomReaderOptions { StopBeforeTag = DicomTag.PixelData }, ct);
        return dicom.Dataset.GetString(DicomTag.StudyInstanceUID);
    }

    private sealed record StudyKeys(string PatientId, string PatientName, string Date, string Accession);

    private sealed record QuerySet(int PatientCount, int StudyCount, List<(string Type, List<ReadOnlyMemory<byte>> Identifiers, List<string> Values)> ByType);

    /// <summary>The studies of the query corpus, read back from its files, and the identifiers of each query type.</summary>
    private async Task<QuerySet> BuildQueriesAsync(CancellationToken ct)
    {
        var studies = new Dictionary<string, StudyKeys>(StringComparer.Ordinal);
        foreach (var file in queryFiles)
        {
            var ds = (await DicomFileReader.OpenAsync(file, new DicomReaderOptions { StopBeforeTag = DicomTag.PixelData }, ct)).Dataset;
            studies.TryAdd(ds.GetString(DicomTag.StudyInstanceUID), new StudyKeys(
                ds.GetString(DicomTag.PatientID), ds.GetString(DicomTag.PatientName), ds.GetString(DicomTag.StudyDate), ds.GetString(DicomTag.AccessionNumber)));
        }

        var list = studies.Values.OrderBy(s => s.PatientId, StringComparer.Ordinal).ToList();
        var patients = list.Select(s => s.PatientId).Distinct().ToList();
        var dates = list.Select(s => s.Date).Order(StringComparer.Ordinal).ToList();
        // About 100 studies per range whatever the corpus size (a tenth of a small corpus).
        var window = Math.Max(1, Math.Min(100, dates.Count / 10));
        var families = list.Select(s => s.PatientName.Split('^')[0]).Where(f => f.Length >= 3 && f.All(char.IsAscii)).Distinct().Order(StringComparer.Ordinal).ToList();

        var names = families.Select(f => f[..3] + "*").ToList();
        var ranges = Enumerable.Range(0, Math.Max(1, dates.Count - window))
            .Select(i => dates[i] + "-" + dates[Math.Min(dates.Count - 1, i + window - 1)]).ToList();
        var accessions = list.Select(s => s.Accession).ToList();
        return new QuerySet(patients.Count, list.Count,
        [
            ("PatientID (exact)", [.. patients.Select(p => Study(k => k.AddOrUpdate(DicomTag.PatientID, p)))], patients),
            ("PatientName (prefix*)", [.. names.Select(n => Study(k => k.AddOrUpdate(DicomTag.PatientName, n)))], names),
            (string.Create(CultureInfo.InvariantCulture, $"StudyDate range (~{window} studies)"),
                [.. ranges.Select(r => Study(k => k.AddOrUpdate(DicomTag.StudyDate, r)))], ranges),
            ("AccessionNumber (exact)", [.. accessions.Select(a => Study(k => k.AddOrUpdate(DicomTag.AccessionNumber, a)))], accessions),
        ]);
    }

    /// <summary>A study-level identifier asking for the 13 return keys, with <paramref name="match"/> setting the matching key.</summary>
    private static ReadOnlyMemory<byte> Study(Action<DicomDataset> match)
    {
        var keys = new DicomDataset();
        keys.AddOrUpdate(DicomTag.QueryRetrieveLevel, "STUDY");
        foreach (var tag in (DicomTag[])[DicomTag.StudyInstanceUID, DicomTag.PatientName, DicomTag.PatientID, DicomTag.PatientBirthDate, DicomTag.PatientSex,
            DicomTag.StudyDate, DicomTag.StudyTime, DicomTag.AccessionNumber, DicomTag.StudyDescription, DicomTag.StudyID, DicomTag.ReferringPhysicianName,
            DicomTag.ModalitiesInStudy, DicomTag.NumberOfStudyRelatedInstances])
        {
            keys.AddOrUpdate(tag, Array.Empty<string>());
        }

        match(keys);
        return Encode(keys);
    }

    private sealed class DiscardingStoreHandler : IStoreHandler
    {
        public int Received;

        public ValueTask<DimseStatus> OnStoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Received);
            return ValueTask.FromResult(DimseStatus.Success); // the unread data set is discarded by the connection
        }
    }
}
