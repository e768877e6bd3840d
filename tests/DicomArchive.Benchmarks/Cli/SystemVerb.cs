using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DicomArchive.Benchmarks.Corpus;
using DicomArchive.Benchmarks.Systems;

namespace DicomArchive.Benchmarks.Cli;

/// <summary>
/// `system [--quick | --full] [--runs N] [--mr N] [--ct N] [--associations 1 4 16] [--clients storescu ours]
/// [--install-peers] [--no-netns] [--out DIR] [--work DIR] [--note TEXT] [--no-qr | --qr-only] [--retrieve-ct N]
/// [--index-instances N] [--qr-studies N] [--qr-per-study N] [--queries N] [--find-only]
/// [--multiframe | --multiframe-mb N] [--ingest-index-instances N] [--startup-files] [--scale-only]`:
/// issue 5's side-by-side comparison, with issue 6's C-FIND latency and issue 7's C-MOVE / C-GET throughput
/// (QueryRetrieveBenchmark) after the ingest rows, then the scale measures: start-up time (StartupBenchmark), ingest on
/// a large index (IndexIngestBenchmark) and memory with large objects on parallel associations (LargeObjectBenchmark).
/// Publishes the archive (Release), generates the corpus with our writer, then (as root) re-runs itself inside a
/// private network namespace with only loopback up, starts each system there and drives it with the same clients.
/// Writes system-{mode}.json, system-{mode}.md and ingest.svg into --out (default docs/benchmarks).
/// </summary>
public static class SystemVerb
{
    private const string InnerVariable = "DICOMARCHIVE_BENCH_INNER";

    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Small corpus, 1 and 4 associations, 3 runs (the default; a few minutes)." };
        var full = new Option<bool>("--full") { Description = "Larger corpus, 1, 4 and 16 associations, 5 runs." };
        var runs = new Option<int?>("--runs") { Description = "Runs per measurement (median, min and max are reported)." };
        var mr = new Option<int?>("--mr") { Description = "Number of 10 KB MR-like objects." };
        var ct = new Option<int?>("--ct") { Description = "Number of 512x512 CT objects." };
        var associations = new Option<int[]>("--associations") { Description = "Concurrent association counts.", AllowMultipleArgumentsPerToken = true };
        var clients = new Option<string[]>("--clients") { Description = "storescu and/or ours (our DicomClient).", AllowMultipleArgumentsPerToken = true };
        var installPeers = new Option<bool>("--install-peers") { Description = "apt-get install dcmtk and orthanc when missing." };
        var noNetns = new Option<bool>("--no-netns") { Description = "Do not enter a private network namespace (loopback of the host instead)." };
        var output = new Option<string?>("--out") { Description = "Where the JSON, markdown and SVG go (default: docs/benchmarks of the repository)." };
        var work = new Option<string?>("--work") { Description = "Scratch folder for the build, corpus and data (default: a new temp folder, deleted after)." };
        var systemsFilter = new Option<string[]>("--systems")
        {
            Description = "Only the systems whose name contains one of these (e.g. ours Orthanc); default: all.",
            AllowMultipleArgumentsPerToken = true,
        };
        var oursExtra = new Option<string[]>("--ours-extra")
        {
            Description = "Adds a variant 'ours (no fsync, extra)' run with these extra Section:Key=value settings (no leading dashes) (for experiments; say so in results).",
        };
        var noQr = new Option<bool>("--no-qr") { Description = "Skip the C-FIND latency and C-MOVE/C-GET throughput measures." };
        var qrOnly = new Option<bool>("--qr-only") { Description = "Only the C-FIND latency and C-MOVE/C-GET throughput measures (no ingest runs)." };
        var retrieveOnly = new Option<bool>("--retrieve-only") { Description = "Only the C-MOVE/C-GET throughput measures (no ingest runs, no C-FIND)." };
        var retrieveCount = new Option<int?>("--retrieve-ct") { Description = "CT instances in the retrieved study (quick 100, full 1000)." };
        var indexInstances = new Option<int?>("--index-instances") { Description = "Instances of the bulk-loaded index ours is queried on (full 1000000, quick 0 = skipped)." };
        var multiframe = new Option<bool>("--multiframe") { Description = "Measure memory with 1 GiB multi-frame objects on parallel associations (in --full)." };
        var multiframeMb = new Option<int?>("--multiframe-mb") { Description = "Pixel data of each multi-frame object in MiB (full 1024; quick 0 = skipped unless --multiframe)." };
        var multiframeAssociations = new Option<int?>("--multiframe-associations") { Description = "Parallel associations, one multi-frame object each (default 8)." };
        var multiframeClient = new Option<string?>("--multiframe-client") { Description = "Client of the multi-frame measure: storescu or ours (default storescu)." };
        var multiframePeers = new Option<bool>("--multiframe-peers")
        {
            Description = "Also run Orthanc and storescp in the multi-frame measure (they hold each object in memory: about 20 GB for Orthanc with 8 x 1 GiB).",
        };
        var multiframeRuns = new Option<int?>("--multiframe-runs") { Description = "Runs of the multi-frame measure per system (default 3 in full, else 1)." };
        var ingestIndexInstances = new Option<int?>("--ingest-index-instances")
        {
            Description = "Instances of the bulk-loaded index for the ingest-on-a-large-index and start-up measures (full 1000000, quick 0 = skipped).",
        };
        var startupFiles = new Option<bool?>("--startup-files") { Description = "Also time start-up with one empty file per indexed instance (default: on in full)." };
        var scaleOnly = new Option<bool>("--scale-only") { Description = "Only the scale measures (start-up, ingest on a large index, multi-frame memory)." };
        var qrStudies = new Option<int?>("--qr-studies") { Description = "Studies of the side-by-side C-FIND corpus, 2 per patient (quick 1000, full 5000)." };
        var qrPerStudy = new Option<int?>("--qr-per-study") { Description = "MR-like instances per study of the C-FIND corpus (default 3; 10 with --qr-studies 2000 is 20,000 instances)." };
        var queries = new Option<int?>("--queries") { Description = "Timed C-FIND queries per type and system (quick 200, full 1000)." };
        var findOnly = new Option<bool>("--find-only") { Description = "Of the query/retrieve measures, only C-FIND (no C-MOVE/C-GET, no storescu baseline); implies --qr-only." };
        var note = new Option<string[]>("--note") { Description = "A note to print with the results (e.g. other load on the machine).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("system", "Ingest throughput of this archive beside DCMTK storescp and Orthanc (issue 5).")
        {
            quick, full, runs, mr, ct, associations, clients, installPeers, noNetns, output, work, note, systemsFilter, oursExtra, noQr, qrOnly, retrieveOnly, retrieveCount, indexInstances,
            multiframe, multiframeMb, multiframeAssociations, multiframeClient, multiframePeers, multiframeRuns, ingestIndexInstances, startupFiles, scaleOnly,
            qrStudies, qrPerStudy, findOnly, queries,
        };
        command.SetAction((parseResult, token) =>
        {
            var isFull = parseResult.GetValue(full);
            var settings = new Settings
            {
                Mode = isFull ? "full" : "quick",
                Runs = parseResult.GetValue(runs) ?? (isFull ? 5 : 3),
                MrCount = parseResult.GetValue(mr) ?? (isFull ? 5000 : 500),
                CtCount = parseResult.GetValue(ct) ?? (isFull ? 1000 : 150),
                Associations = parseResult.GetValue(associations) is { Length: > 0 } a ? a : isFull ? [1, 4, 16] : [1, 4],
                Clients = parseResult.GetValue(clients) is { Length: > 0 } c ? c : ["storescu", "ours"],
                InstallPeers = parseResult.GetValue(installPeers),
                UseNetworkNamespace = !parseResult.GetValue(noNetns),
                Output = parseResult.GetValue(output),
                Work = parseResult.GetValue(work),
                Notes = parseResult.GetValue(note) ?? [],
                SystemsFilter = parseResult.GetValue(systemsFilter) ?? [],
                OursExtra = [.. (parseResult.GetValue(oursExtra) ?? []).Select(e => e.StartsWith("--", StringComparison.Ordinal) ? e : "--" + e)],
                QueryRetrieve = !parseResult.GetValue(noQr) && !parseResult.GetValue(scaleOnly),
                IngestRuns = !parseResult.GetValue(qrOnly) && !parseResult.GetValue(findOnly) && !parseResult.GetValue(retrieveOnly) && !parseResult.GetValue(scaleOnly),
                FindQueries = !parseResult.GetValue(retrieveOnly),
                RetrieveOnly = parseResult.GetValue(retrieveOnly),
                ScaleOnly = parseResult.GetValue(scaleOnly),
                MultiFrameBytes = (long)(parseResult.GetValue(multiframeMb) ?? (isFull || parseResult.GetValue(multiframe) ? 1024 : 0)) << 20,
                MultiFrameAssociations = parseResult.GetValue(multiframeAssociations) ?? 8,
                MultiFrameClient = parseResult.GetValue(multiframeClient) ?? "storescu",
                MultiFrameRuns = parseResult.GetValue(multiframeRuns) ?? (isFull ? 3 : 1),
                MultiFramePeers = parseResult.GetValue(multiframePeers),
                IngestIndexInstances = parseResult.GetValue(ingestIndexInstances) ?? (isFull ? 1_000_000 : 0),
                StartupFiles = parseResult.GetValue(startupFiles) ?? isFull,
                FindOnly = parseResult.GetValue(findOnly),
                QueriesPerType = parseResult.GetValue(queries) ?? (isFull ? 1000 : 200),
                RetrieveCount = parseResult.GetValue(retrieveCount) ?? (isFull ? 1000 : 100),
                QueryStudies = parseResult.GetValue(qrStudies) ?? (isFull ? 5000 : 1000),
                QueryInstancesPerStudy = parseResult.GetValue(qrPerStudy) ?? 3,
                IndexInstances = parseResult.GetValue(indexInstances) ?? (isFull ? 1_000_000 : 0),
                Arguments = parseResult.Tokens.Select(t => t.Value).ToArray(),
            };
            return RunAsync(settings, token);
        });
        return command;
    }

    private sealed class Settings
    {
        public required string Mode { get; init; }

        public required int Runs { get; init; }

        public required int MrCount { get; init; }

        public required int CtCount { get; init; }

        public required int[] Associations { get; init; }

        public required string[] Clients { get; init; }

        public bool InstallPeers { get; init; }

        public bool UseNetworkNamespace { get; init; }

        public string? Output { get; init; }

        public string? Work { get; init; }

        public required string[] Notes { get; init; }

        public required string[] SystemsFilter { get; init; }

        public required string[] OursExtra { get; init; }

        public required string[] Arguments { get; init; }

        public bool QueryRetrieve { get; init; }

        public bool IngestRuns { get; init; }

        /// <summary>C-FIND latency measures (off with --retrieve-only).</summary>
        public bool FindQueries { get; init; } = true;

        /// <summary>--retrieve-only: the C-MOVE/C-GET measures alone (no ingest corpus, ingest, C-FIND or scale measures).</summary>
        public bool RetrieveOnly { get; init; }

        public int RetrieveCount { get; init; }

        /// <summary>Studies of the C-FIND corpus (<see cref="QueryInstancesPerStudy"/> MR-like instances each, 2 studies per patient).</summary>
        public int QueryStudies { get; init; }

        public int QueryInstancesPerStudy { get; init; }

        public int QueriesPerType { get; init; }

        /// <summary>Only the C-FIND measures of the query/retrieve part.</summary>
        public bool FindOnly { get; init; }

        /// <summary>Instances of the bulk-loaded large index (issue 6); 0 skips it.</summary>
        public int IndexInstances { get; init; }

        public bool ScaleOnly { get; init; }

        /// <summary>Pixel data of each multi-frame object (issue 4's memory row); 0 skips the measure.</summary>
        public long MultiFrameBytes { get; init; }

        public int MultiFrameAssociations { get; init; }

        public required string MultiFrameClient { get; init; }

        public int MultiFrameRuns { get; init; }

        public bool MultiFramePeers { get; init; }

        /// <summary>Instances of the index for the ingest-on-a-large-index and start-up measures; 0 skips them.</summary>
        public int IngestIndexInstances { get; init; }

        public bool StartupFiles { get; init; }
    }

    private static async Task<int> RunAsync(Settings settings, CancellationToken ct)
    {
        var repository = FindRepository();
        var outputDirectory = Path.GetFullPath(settings.Output ?? Path.Combine(repository, "docs", "benchmarks"));
        if (Environment.GetEnvironmentVariable(InnerVariable) is { Length: > 0 } innerWork)
        {
            return await MeasureAsync(settings, innerWork, outputDirectory, inNamespace: true, ct);
        }

        var workDirectory = settings.Work is null
            ? Directory.CreateTempSubdirectory("dicomarchive-system-").FullName
            : Directory.CreateDirectory(settings.Work).FullName;
        try
        {
            if (settings.InstallPeers)
            {
                await InstallPeersAsync(ct);
            }

            Console.WriteLine($"publishing the archive (Release) into {workDirectory}/archive ...");
            var (code, text) = await RunToolAsync("dotnet",
                ["publish", Path.Combine(repository, "src", "DicomArchive.Service"), "-c", "Release", "-o", Path.Combine(workDirectory, "archive"), "--nologo", "-v", "q"], ct);
            if (code != 0)
            {
                await Console.Error.WriteLineAsync("dotnet publish failed:\n" + text);
                return 2;
            }

            // The ingest rows need the corpus, and so does the scale measure of ingest on a large index (--scale-only).
            if (settings.IngestRuns || (settings.ScaleOnly && settings.IngestIndexInstances > 0))
            {
                Console.WriteLine($"generating the corpus: {settings.MrCount} MR-like, {settings.CtCount} CT ...");
                await CorpusGenerator.GenerateAsync(Path.Combine(workDirectory, "corpus"),
                    new CorpusOptions { MrCount = settings.MrCount, CtCount = settings.CtCount, MultiFrameBytes = 0 }, ct: ct);
            }

            await CorpusGenerator.GenerateAsync(Path.Combine(workDirectory, "warmup"),
                new CorpusOptions { MrCount = 200, CtCount = 10, MultiFrameBytes = 0, Seed = new CorpusOptions().Seed + 1, PatientIdPrefix = "WRM" }, ct: ct);

            if (settings.QueryRetrieve)
            {
                Console.WriteLine(settings.FindQueries
                    ? $"generating the query/retrieve corpora: {settings.QueryStudies} studies x {settings.QueryInstancesPerStudy} MR-like, one study of {settings.RetrieveCount} CT ..."
                    : $"generating the retrieve study: {settings.RetrieveCount} CT ...");
                Directory.CreateDirectory(Path.Combine(workDirectory, "qr-find"));
                if (settings.FindQueries)
                {
                    await CorpusGenerator.GenerateAsync(Path.Combine(workDirectory, "qr-find"), new CorpusOptions
                    {
                        MrCount = settings.QueryStudies * settings.QueryInstancesPerStudy, CtCount = 0, MultiFrameBytes = 0, Patients = settings.QueryStudies / 2,
                        StudiesPerPatient = 2, SeriesPerStudy = 1, Seed = new CorpusOptions().Seed + 2,
                    }, ct: ct);
                }
                await CorpusGenerator.GenerateAsync(Path.Combine(workDirectory, "qr-move"), new CorpusOptions
                {
                    MrCount = 0, CtCount = settings.RetrieveCount, MultiFrameBytes = 0, Patients = 1, StudiesPerPatient = 1, SeriesPerStudy = 1,
                    Seed = new CorpusOptions().Seed + 3,
                }, ct: ct);
            }

            if (settings.UseNetworkNamespace && Environment.UserName == "root" && File.Exists("/usr/bin/unshare") && File.Exists("/usr/sbin/ip"))
            {
                return await RunInNamespaceAsync(workDirectory, ct);
            }

            return await MeasureAsync(settings, workDirectory, outputDirectory, inNamespace: false, ct);
        }
        finally
        {
            if (settings.Work is null)
            {
                try
                {
                    Directory.Delete(workDirectory, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>
    /// BENCHMARKING.md gotcha 5: neither Orthanc nor DCMTK's servers can bind to loopback only, so the measuring
    /// half runs in a new network namespace whose only interface is lo (`unshare -n`, then `ip link set lo up`).
    /// </summary>
    private static async Task<int> RunInNamespaceAsync(string workDirectory, CancellationToken ct)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo("/usr/bin/unshare") { UseShellExecute = false };
        foreach (var arg in (string[])["-n", "--", "/bin/sh", "-c", "ip link set lo up && exec \"$@\"", "sh", self])
        {
            info.ArgumentList.Add(arg);
        }

        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(SystemVerb).Assembly.Location);
        }

        foreach (var arg in Environment.GetCommandLineArgs().Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment[InnerVariable] = workDirectory;
        using var process = Process.Start(info)!;
        try
        {
            await process.WaitForExitAsync(ct);
            return process.ExitCode;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<int> MeasureAsync(Settings settings, string workDirectory, string outputDirectory, bool inNamespace, CancellationToken ct)
    {
        var publish = Path.Combine(workDirectory, "archive");
        List<BenchmarkSystem> systems =
        [
            new ArchiveSystem(publish, "ours (durable)",
                "this archive as shipped: FsyncPolicy=Always (file and index row fsync'd before success), 256 KiB PDU", []),
            new ArchiveSystem(publish, "ours (no fsync)",
                "this archive with FsyncPolicy=Never and MaxPduLength=16384: the peers' durability and PDU size",
                ["--Archive:FsyncPolicy=Never", "--Archive:MaxPduLength=16384"]),
            new OrthancSystem(),
            new DcmqrscpSystem(),
            new StorescpSystem(ignore: false),
            new StorescpSystem(ignore: true),
            new SinkSystem(),
        ];
        if (settings.OursExtra.Length > 0)
        {
            systems.Insert(2, new ArchiveSystem(publish, "ours (no fsync, extra)",
                "as 'ours (no fsync)' plus " + string.Join(' ', settings.OursExtra) + " (an experiment, not a shipped setting)",
                ["--Archive:FsyncPolicy=Never", "--Archive:MaxPduLength=16384", .. settings.OursExtra]));
        }

        if (settings.SystemsFilter.Length > 0)
        {
            systems.RemoveAll(s => !settings.SystemsFilter.Any(f => s.Name.Contains(f, StringComparison.OrdinalIgnoreCase)));
        }
        var clients = settings.Clients.Select<string, IStoreClient>(c => c switch
        {
            "storescu" => new StorescuClient(),
            "ours" or "DicomClient" => new OwnScuClient(),
            _ => throw new ArgumentException($"unknown client {c}"),
        }).ToList();
        var corpus = Path.Combine(workDirectory, "corpus");
        Workload[] workloads =
        [
            new("MR", "64x64 16-bit MR-like objects, about 10 KB", Files(Path.Combine(corpus, "mr"))),
            new("CT", "512x512 16-bit CT objects, about 527 KB", Files(Path.Combine(corpus, "ct"))),
        ];
        var warmUp = Files(Path.Combine(workDirectory, "warmup"));

        // A workload asked for with 0 files (--mr 0, --ct 0) is left out of the ingest runs, not run empty (storescu
        // without files fails).
        var ingestWorkloads = workloads.Where(w => w.Files.Count > 0).ToArray();

        var report = new SystemReport
        {
            Mode = settings.Mode,
            Command = "dotnet run -c Release --project tests/DicomArchive.Benchmarks -- " + string.Join(' ', settings.Arguments.Select(Quote)),
            Date = DateTimeOffset.UtcNow,
            Machine = MachineDescription(),
            Network = inNamespace
                ? "loopback inside a private network namespace (unshare -n), TCP_NODELAY=1 for every DCMTK process and Orthanc"
                : "host loopback (no private network namespace: not root or unshare missing), TCP_NODELAY=1 for every DCMTK process and Orthanc",
            RunsPerMeasurement = settings.Runs,
        };
        using var guestMemory = GuestMemoryPreparation.Apply();
        report.Notes.Add(guestMemory.Description);
        report.Notes.AddRange(settings.Notes);
        if (settings.FindOnly)
        {
            report.Notes.Add("C-FIND only (--find-only): each system is started once with an empty store, loaded untimed through our DicomClient on one association, then queried; the latencies are percentiles over the timed queries, not medians of runs.");
            report.Notes.Add("Server CPU per query: the server process's utime+stime (/proc/PID/stat, 10 ms ticks) over the timed queries of a type, divided by their number; it includes the kernel's loopback TCP work charged to the sender.");
            report.Notes.Add("Our archive runs with the shipped appsettings.json: one audit line per query, in its audit file.");
        }
        else if (settings.RetrieveOnly)
        {
            report.Notes.Add("Our archive runs with the shipped appsettings.json (Information-level audit line per retrieve, not per sub-operation); the retrieve study is loaded untimed through our DicomClient before the measures.");
            report.Notes.Add("The sending server, the destination storescp (one process per association, --fork) and the requesting SCU (our DicomClient in the harness process) share the machine's 2 cores. Ours sends a C-MOVE over up to 3 associations to the destination (its shipped default, Peers[i].AssociationsPerMove), Orthanc over one (it has no such setting); storescu, the baseline, over one.");
            systems =
            [
                new ArchiveSystem(publish, "ours", "this archive as shipped (FsyncPolicy=Always, 256 KiB PDU; a retrieve only reads files), Archive:Peers for the move destinations", []),
                new OrthancSystem(),
                new StorescpSystem(ignore: false),
                new StorescpSystem(ignore: true),
            ];
        }
        else
        {
            report.Notes.Add($"Before each timed run the same {warmUp.Length} other instances are sent untimed on one association (warms Orthanc's and SQLite's caches and the file system alike; our service runs without tiered compilation, so its code is fully optimised from the first call).");
            report.Notes.Add("Each run's data folder is kept until the end of the whole benchmark: this VM's ext4 has no journal, and its inode allocator then slows down every file creation for 5-35 s after many files are deleted (see docs/performance.md).");
            report.Notes.Add("Time is wall time from the start of the first client association (storescu: process start) to the end of the last; every row uses an empty store.");
            report.Notes.Add("Our archive runs with the shipped appsettings.json: one audit line per stored instance in its audit file (not in the console or the rolling log).");
            report.Notes.Add("storescu: one process per association, explicit file list (file i on association i mod N); DicomClient: our SCU in the harness process, 16 KiB receive PDU, same split.");
            report.Notes.Add("Peak RSS is the server process's VmHWM; storescp --fork children (one per association) are not included.");
        }

        report.Workloads.AddRange(ingestWorkloads.Select(w => new WorkloadInfo(w.Name, w.Description, w.Files.Count, w.Bytes)));
        report.Systems.AddRange(systems.Select(s => new SystemInfo(s.Name, s.Description, s.Version(), s.Unavailable() ?? "ok")));
        var skipped = settings.Mode == "quick" ? "skipped in quick mode; " : "skipped; ";
        if (settings.IngestIndexInstances == 0)
        {
            report.NotYet.Add($"start-up time on a large index ({skipped}--ingest-index-instances N measures it, as --full does with 1,000,000)");
            report.NotYet.Add($"ingest rate with an index of 1,000,000 instances ({skipped}--ingest-index-instances N measures it, as --full does)");
        }

        if (settings.MultiFrameBytes == 0)
        {
            report.NotYet.Add($"memory with 8 associations each storing a 1 GB multi-frame object ({skipped}--multiframe measures it, as --full does)");
        }

        if (settings.QueryStudies * settings.QueryInstancesPerStudy < 20_000)
        {
            report.NotYet.Add("C-FIND against Orthanc on a 20,000-instance corpus (--qr-studies 2000 --qr-per-study 10)");
        }


        Console.WriteLine($"{report.Network}; {settings.Runs} runs per measurement");
        if (settings.IngestRuns)
        {
            var benchmark = new SystemBenchmark(workDirectory, systems, clients, ingestWorkloads, warmUp, settings.Associations, settings.Runs);
            await benchmark.RunAsync(report, ct);
        }

        if (settings.QueryRetrieve)
        {
            Console.WriteLine("query/retrieve: C-FIND latency, C-MOVE and C-GET throughput ...");
            var includeOrthanc = settings.SystemsFilter.Length == 0 || settings.SystemsFilter.Any(f => "Orthanc".Contains(f, StringComparison.OrdinalIgnoreCase));
            var queryRetrieve = new QueryRetrieveBenchmark(workDirectory, Files(Path.Combine(workDirectory, "qr-find")),
                Files(Path.Combine(workDirectory, "qr-move")), settings.QueriesPerType, settings.Runs, settings.IndexInstances, settings.FindOnly);
            await queryRetrieve.RunAsync(publish, includeOrthanc, report, ct);
        }

        if (!settings.RetrieveOnly)
        {
            await MeasureScaleAsync(settings, workDirectory, publish, systems, clients, workloads[0], warmUp, report, ct);
        }

        Directory.CreateDirectory(outputDirectory);
        var markdown = ReportWriter.ToMarkdown(report);
        // --find-only writes beside (not over) the query/retrieve report, named after the C-FIND corpus size.
        var stem = settings.IngestRuns ? $"system-{settings.Mode}"
            : settings.ScaleOnly ? $"system-{settings.Mode}-scale"
            : settings.FindOnly ? string.Create(CultureInfo.InvariantCulture, $"system-find-{settings.QueryStudies * settings.QueryInstancesPerStudy}")
            : settings.FindQueries ? $"system-{settings.Mode}-qr" : $"system-{settings.Mode}-retrieve";
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, stem + ".json"), ReportWriter.ToJson(report), ct);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, stem + ".md"), markdown, ct);
        if (settings.IngestRuns)
        {
            // One chart per client: ingest.svg for the first (storescu by default), ingest-<client>.svg for the others.
            for (var i = 0; i < clients.Count; i++)
            {
                var name = i == 0 ? "ingest.svg" : $"ingest-{clients[i].Name}.svg";
                await File.WriteAllTextAsync(Path.Combine(outputDirectory, name), ReportWriter.ToSvg(report, clients[i].Name), ct);
            }
        }
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"written to {outputDirectory}");
        // dcmqrscp's failures under concurrent stores are a known property of the peer (its rows say so), not a harness failure.
        return report.Measurements.Any(m => m.Status.StartsWith("failed", StringComparison.Ordinal) && m.System != "dcmqrscp")
            || report.FindLatencies.Any(m => m.Status != "ok") || report.Retrieves.Any(m => m.Status != "ok")
            || report.Startups.Any(m => m.Status != "ok") || report.IndexIngests.Any(m => m.Status != "ok")
            || report.LargeObjects.Any(m => m.Status.StartsWith("failed", StringComparison.Ordinal)) ? 1 : 0;
    }

    /// <summary>
    /// Issue 4's and 5's scale measures, after the ingest and query/retrieve rows: start-up time and ingest on a
    /// bulk-loaded index (the index is built once), then the large-object memory row, whose 8 GB per run is deleted
    /// after each run (large files: no ext4 slow-down for the small-file measures, which ran before it).
    /// </summary>
    private static async Task MeasureScaleAsync(Settings settings, string workDirectory, string publish, List<BenchmarkSystem> systems,
        List<IStoreClient> clients, Workload mr, string[] warmUp, SystemReport report, CancellationToken ct)
    {
        var client = clients.FirstOrDefault(c => c.Unavailable() is null);
        if (settings.IngestIndexInstances > 0 && client is not null)
        {
            var index = new LargeIndexTemplate(Path.Combine(workDirectory, "scale-index"), settings.IngestIndexInstances);
            Console.WriteLine("start-up time: empty store and large index ...");
            var includeOrthanc = systems.Any(s => s is OrthancSystem);
            await new StartupBenchmark(workDirectory, publish, index, settings.StartupFiles, includeOrthanc, 3).RunAsync(report, ct);

            Console.WriteLine($"ingest on an empty index and on a {settings.IngestIndexInstances:N0}-instance index ...");
            var variants = systems.OfType<ArchiveSystem>().ToList();
            await new IndexIngestBenchmark(workDirectory, variants, client, mr, warmUp, index, settings.Runs).RunAsync(report, ct);
        }

        if (settings.MultiFrameBytes > 0)
        {
            IStoreClient largeClient = settings.MultiFrameClient is "ours" or "DicomClient" ? new OwnScuClient() : new StorescuClient();
            var subjects = systems.Where(s => s.Name is "ours (durable)" || (settings.MultiFramePeers && s.Name is "Orthanc" or "storescp")).ToList();
            if (!settings.MultiFramePeers)
            {
                report.ScaleSetup.Add("Large objects: Orthanc and storescp not run (--multiframe-peers runs them): both hold each received object whole in memory (docs/benchmarks/scale-small.md has them at 2 x 200 MiB), so 8 x 1 GiB would take 8-20 GB of this machine's RAM.");
            }

            Console.WriteLine($"memory: {settings.MultiFrameAssociations} associations x {settings.MultiFrameBytes >> 20} MiB multi-frame objects ...");
            await new LargeObjectBenchmark(workDirectory, subjects, largeClient, warmUp, settings.MultiFrameAssociations, settings.MultiFrameBytes,
                settings.MultiFrameRuns).RunAsync(report, ct);
        }
    }

    private static string Quote(string argument) =>
        argument.Contains(' ', StringComparison.Ordinal) || argument.Contains('\'', StringComparison.Ordinal)
            ? "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'"
            : argument;

    private static string[] Files(string directory) => !Directory.Exists(directory) ? [] :
        [.. Directory.EnumerateFiles(directory, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    private static async Task InstallPeersAsync(CancellationToken ct)
    {
        var missing = new List<string>();
        if (!File.Exists("/usr/bin/storescp"))
        {
            missing.Add("dcmtk");
        }

        if (!File.Exists("/usr/sbin/Orthanc"))
        {
            missing.Add("orthanc");
        }

        if (missing.Count == 0)
        {
            return;
        }

        Console.WriteLine($"installing {string.Join(' ', missing)} ...");
        await RunToolAsync("apt-get", ["update", "-qq"], ct);
        var (code, text) = await RunToolAsync("apt-get", ["install", "-y", "-qq", .. missing], ct);
        if (code != 0)
        {
            Console.WriteLine($"apt-get install failed ({code}): the missing systems are reported as skipped.\n{text}");
        }
    }

    private static async Task<(int Code, string Output)> RunToolAsync(string tool, string[] args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRepository()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DicomArchive.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("run the system verb from inside the repository (DicomArchive.sln not found)");
    }

    private static string MachineDescription()
    {
        var cpu = "?";
        long memoryKb = 0;
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
            var mem = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            memoryKb = mem is null ? 0 : long.Parse(mem.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} logical CPUs ({cpu}), {memoryKb / 1048576.0:F0} GiB RAM, {Environment.OSVersion}, .NET {Environment.Version}");
    }
}
