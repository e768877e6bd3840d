using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>Writes a <see cref="SystemReport"/> as markdown, JSON and an SVG line chart (hand-written, no dependencies).</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly string[] Colours = ["#d62728", "#ff7f0e", "#9467bd", "#1f77b4", "#2ca02c", "#8c564b", "#7f7f7f"];

    public static string ToJson(SystemReport report) => JsonSerializer.Serialize(report, Json);

    public static string ToMarkdown(SystemReport report)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine(inv, $"Command: `{report.Command}`  ");
        md.AppendLine(inv, $"Date: {report.Date:yyyy-MM-dd HH:mm} UTC. Machine: {report.Machine}  ");
        if (report.Measurements.Count == 0 && report.Retrieves.Count == 0)
        {
            md.AppendLine(inv, $"Network: {report.Network}.");
        }
        else
        {
            md.AppendLine(inv, $"Network: {report.Network}. Each figure is the median of {report.RunsPerMeasurement} runs (min-max in brackets), every run against a freshly started system with an empty store.");
        }
        if (report.Measurements.Count > 0)
        {
            AppendIngest(md, report);
        }

        AppendQueryRetrieve(md, report);
        AppendScale(md, report);
        md.AppendLine();
        md.AppendLine("Systems:");
        md.AppendLine();
        foreach (var s in report.Systems)
        {
            md.AppendLine(inv, $"- **{s.Name}** ({s.Version}): {s.Description}{(s.Status == "ok" ? "" : " — " + s.Status)}");
        }

        if (report.Notes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Notes:");
            md.AppendLine();
            foreach (var note in report.Notes)
            {
                md.AppendLine(inv, $"- {note}");
            }
        }

        if (report.NotYet.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| Not measured yet | Status |");
            md.AppendLine("|---|---|");
            foreach (var item in report.NotYet)
            {
                md.AppendLine(inv, $"| {item} | not yet |");
            }
        }

        return md.ToString();
    }

    private static void AppendIngest(StringBuilder md, SystemReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine();
        md.AppendLine("| Workload | Files | Size |");
        md.AppendLine("|---|---:|---:|");
        foreach (var w in report.Workloads)
        {
            md.AppendLine(inv, $"| {w.Name}: {w.Description} | {w.Count} | {w.Bytes / 1e6:F1} MB |");
        }

        md.AppendLine();
        var peers = report.Measurements.Where(m => !m.IsOurs).Select(m => m.System).Distinct().ToList();
        md.Append("| Workload | Assoc. | Client | System | inst/s | MB/s | Peak RSS | Stored |");
        foreach (var peer in peers)
        {
            md.Append(inv, $" ours / {peer} |");
        }

        md.AppendLine();
        md.Append("|---|---:|---|---|---:|---:|---:|---:|");
        md.AppendLine(string.Concat(peers.Select(_ => "---:|")));
        foreach (var m in report.Measurements)
        {
            if (!m.Ok)
            {
                md.AppendLine(inv, $"| {m.Workload} | {m.Associations} | {m.Client} | {m.System} | {Escape(m.Status)} | | | |{string.Concat(peers.Select(_ => " |"))}");
                continue;
            }

            var stored = m.Runs.All(r => r.Stored is null) ? "not kept" : $"{m.Runs[^1].Stored}/{m.Runs[^1].Sent}";
            md.Append(inv, $"| {m.Workload} | {m.Associations} | {m.Client} | {(m.IsOurs ? "**" + m.System + "**" : m.System)} | ");
            md.Append(inv, $"{m.MedianInstancesPerSecond:N0} ({m.MinInstancesPerSecond:N0}-{m.MaxInstancesPerSecond:N0}) | {m.MedianMegabytesPerSecond:F1} | ");
            md.Append(inv, $"{(m.PeakResidentMegabytes is { } rss ? rss.ToString("F0", inv) + " MB" : "?")} | {stored} |");
            foreach (var peer in peers)
            {
                var ratio = report.Ratios.FirstOrDefault(r => r.Ours == m.System && r.Peer == peer && r.Workload == m.Workload
                    && r.Associations == m.Associations && r.Client == m.Client);
                md.Append(ratio is null ? " |" : string.Create(inv, $" {ratio.Value:F2}x |"));
            }

            md.AppendLine();
        }
    }

    private static void AppendQueryRetrieve(StringBuilder md, SystemReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        if (report.FindLatencies.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("C-FIND latency (study level, Study Root, request to final response):");
            md.AppendLine();
            md.AppendLine("| Query | System | Client | Queries | Matches | p50 ms | p99 ms | max ms | server CPU ms/query | peer p50 / ours p50 | peer p99 / ours p99 | peer CPU / ours CPU |");
            md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var f in report.FindLatencies)
            {
                if (f.Status != "ok")
                {
                    md.AppendLine(inv, $"| {f.QueryType} | {f.System} | {f.Client} | {Escape(f.Status)} | | | | | | | | |");
                    continue;
                }

                var ours = report.FindLatencies.FirstOrDefault(o => o.IsOurs && o.QueryType == f.QueryType && o.Client == f.Client && o.Status == "ok");
                var cpuRatio = f.IsOurs || ours?.ServerCpuMillisecondsPerQuery is not > 0 || f.ServerCpuMillisecondsPerQuery is null
                    ? ""
                    : string.Create(inv, $"{f.ServerCpuMillisecondsPerQuery / ours.ServerCpuMillisecondsPerQuery:F1}x");
                var ratios = f.IsOurs || ours is null ? " | |" : string.Create(inv, $" {f.P50Milliseconds / ours.P50Milliseconds:F1}x | {f.P99Milliseconds / ours.P99Milliseconds:F1}x |");
                var cpu = f.ServerCpuMillisecondsPerQuery is { } c ? c.ToString("F2", inv) : "";
                md.AppendLine(inv, $"| {f.QueryType} | {(f.IsOurs ? "**" + f.System + "**" : f.System)} | {f.Client} | {f.Queries} | {f.Matches} | {f.P50Milliseconds:F2} | {f.P99Milliseconds:F2} | {f.MaxMilliseconds:F2} | {cpu} |{ratios} {cpuRatio} |");
            }
        }

        if (report.Retrieves.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Retrieve (one study, request to final response; baseline: storescu sending the same files, process start included):");
            md.AppendLine();
            md.AppendLine("| Operation | System | Destination | inst/s | MB/s | Completed/Failed | sender CPU ms/inst | RSS start / middle / end MB | peak RSS MB | ours / this |");
            md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in report.Retrieves)
            {
                if (r.Status != "ok")
                {
                    md.AppendLine(inv, $"| {r.Operation} | {r.System} | {r.Destination} | {Escape(r.Status)} | | | | | | |");
                    continue;
                }

                var ours = OursFor(report, r);
                var ratio = r.IsOurs || ours is null ? "" : string.Create(inv, $"{ours.MedianInstancesPerSecond / r.MedianInstancesPerSecond:F2}x");
                var cpu = r.ServerCpuMillisecondsPerInstance is { } c ? c.ToString("F3", inv) : "";
                var last = r.Memory.Count == 0 ? null : r.Memory[^1];
                var rss = last is null ? "" : $"{Megabytes(last.StartBytes)} / {Megabytes(last.MiddleBytes)} / {Megabytes(last.EndBytes)}";
                md.AppendLine(inv, $"| {r.Operation} | {(r.IsOurs ? "**" + r.System + "**" : r.System)} | {r.Destination} | {r.MedianInstancesPerSecond:N0} ({r.MinInstancesPerSecond:N0}-{r.MaxInstancesPerSecond:N0}) | {r.MedianMegabytesPerSecond:F1} | {r.Completed}/{r.Failed} | {cpu} | {rss} | {Megabytes(r.PeakResidentBytes)} | {ratio} |");
            }

            md.AppendLine();
            md.AppendLine("Ratios (ours' median inst/s over the other's, same destination):");
            md.AppendLine();
            foreach (var r in report.Retrieves)
            {
                if (r.IsOurs || r.Status != "ok" || OursFor(report, r) is not { } ours)
                {
                    continue;
                }

                md.AppendLine(inv, $"- {ours.Operation} ours / {r.Operation} {r.System} -> {r.Destination}: {ours.MedianInstancesPerSecond / r.MedianInstancesPerSecond:F2}x");
            }

            md.AppendLine();
            md.AppendLine("Sender CPU is utime + stime of the sending process over the run, per instance: the archive's (/proc/PID/stat) for C-MOVE/C-GET, storescu's own (the harness's reaped children, /proc/self/stat cutime + cstime) for the baseline; the destination and the requester run on the same 2 cores. RSS is the sending server's, sampled every 20 ms over the last timed run; peak RSS is its VmHWM over a timed run (reset before each through /proc/PID/clear_refs), the highest of the runs.");
        }

        if (report.QueryRetrieveSetup.Count > 0)
        {
            md.AppendLine();
            foreach (var line in report.QueryRetrieveSetup)
            {
                md.AppendLine(inv, $"- {line}");
            }
        }
    }

    /// <summary>Ours' row for the same destination: C-MOVE for storescu's C-STORE rows, the same operation otherwise.</summary>
    private static RetrieveThroughput? OursFor(SystemReport report, RetrieveThroughput r) =>
        report.Retrieves.FirstOrDefault(o => o.IsOurs && o.Status == "ok" && o.Destination == r.Destination
            && (o.Operation == r.Operation || r.Operation.StartsWith("C-STORE", StringComparison.Ordinal) && o.Operation == "C-MOVE"));

    private static string Megabytes(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) : "?";

    private static void AppendScale(StringBuilder md, SystemReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        if (report.Startups.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Start-up time (process start until an association with C-ECHO succeeds):");
            md.AppendLine();
            md.AppendLine("| System | Store at start | Seconds | this / ours on an empty store |");
            md.AppendLine("|---|---|---:|---:|");
            var baseline = report.Startups.FirstOrDefault(s => s.IsOurs && s.Store == "empty" && s.Ok);
            foreach (var s in report.Startups)
            {
                if (!s.Ok)
                {
                    md.AppendLine(inv, $"| {s.System} | {s.Store} | {Escape(s.Status)} | |");
                    continue;
                }

                var ratio = baseline is null || ReferenceEquals(s, baseline) ? "" : string.Create(inv, $"{s.MedianSeconds / baseline.MedianSeconds:F2}x");
                md.AppendLine(inv, $"| {(s.IsOurs ? "**" + s.System + "**" : s.System)} | {s.Store} | {s.MedianSeconds:F2} ({s.MinSeconds:F2}-{s.MaxSeconds:F2}) | {ratio} |");
            }
        }

        if (report.IndexIngests.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Ingest on an empty index against a large one (issue 4: the large-index rate at least 0.80 of the empty-index rate):");
            md.AppendLine();
            md.AppendLine("| Workload | Assoc. | Client | System | Index | inst/s, empty index | inst/s, large index | large / empty | server CPU ms/inst, empty / large |");
            md.AppendLine("|---|---:|---|---|---:|---:|---:|---:|---:|");
            foreach (var r in report.IndexIngests)
            {
                if (!r.Ok)
                {
                    md.AppendLine(inv, $"| {r.Workload} | {r.Associations} | {r.Client} | {r.System} | {r.IndexInstances:N0} | {Escape(r.Status)} | | | |");
                    continue;
                }

                var cpu = r.EmptyCpuMillisecondsPerInstance is { } e && r.LargeCpuMillisecondsPerInstance is { } l ? string.Create(inv, $"{e:F2} / {l:F2}") : "?";
                md.AppendLine(inv, $"| {r.Workload} | {r.Associations} | {r.Client} | **{r.System}** | {r.IndexInstances:N0} | {r.MedianEmpty:N0} ({r.EmptyInstancesPerSecond.Min():N0}-{r.EmptyInstancesPerSecond.Max():N0}) | {r.MedianLarge:N0} ({r.LargeInstancesPerSecond.Min():N0}-{r.LargeInstancesPerSecond.Max():N0}) | {r.Ratio:F2} | {cpu} |");
            }
        }

        if (report.LargeObjects.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Memory with large objects on parallel associations (issue 4: under 250 MB resident with 8 x 1 GB):");
            md.AppendLine();
            md.AppendLine("| Objects | Client | System | Peak RSS | Seconds | MB/s | Stored | ours / this (peak RSS) |");
            md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
            var ours = report.LargeObjects.FirstOrDefault(o => o.IsOurs && o.Ok);
            foreach (var o in report.LargeObjects)
            {
                var objects = string.Create(inv, $"{o.Associations} x {o.ObjectBytes / 1e6:N0} MB");
                if (!o.Ok)
                {
                    md.AppendLine(inv, $"| {objects} | {o.Client} | {o.System} | {Escape(o.Status)} | | | | |");
                    continue;
                }

                var last = o.Runs[^1];
                var ratio = ours is null || ReferenceEquals(o, ours) ? "" : string.Create(inv, $"{ours.MedianPeakResidentMegabytes / o.MedianPeakResidentMegabytes:F2}x");
                md.AppendLine(inv, $"| {objects} | {o.Client} | {(o.IsOurs ? "**" + o.System + "**" : o.System)} | {o.MedianPeakResidentMegabytes:F0} MB ({o.MinPeakResidentMegabytes:F0}-{o.PeakResidentMegabytes:F0}) | {o.MedianSeconds:F1} ({o.MinSeconds:F1}-{o.MaxSeconds:F1}) | {o.MedianMegabytesPerSecond:F0} | {last.Stored}/{o.Associations}, {last.StoredBytes / 1e9:F2} GB | {ratio} |");
            }
        }

        if (report.ScaleSetup.Count > 0)
        {
            md.AppendLine();
            foreach (var line in report.ScaleSetup)
            {
                md.AppendLine(inv, $"- {line}");
            }
        }
    }

    /// <summary>One panel per workload: instances/s (y) against associations (x), one line per system, for one client.</summary>
    public static string ToSvg(SystemReport report, string client)
    {
        var inv = CultureInfo.InvariantCulture;
        var workloads = report.Workloads.Select(w => w.Name).ToList();
        var systemNames = report.Measurements.Where(m => m.Client == client && m.Ok).Select(m => m.System).Distinct().ToList();
        var counts = report.Measurements.Select(m => m.Associations).Distinct().Order().ToList();
        const int panelWidth = 420, panelHeight = 300, left = 70, top = 50, plotWidth = 320, plotHeight = 200;
        var legendHeight = 20 * systemNames.Count + 10;
        var width = panelWidth * Math.Max(1, workloads.Count) + 20;
        var height = panelHeight + legendHeight;
        var svg = new StringBuilder();
        svg.AppendLine(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine(inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        svg.AppendLine(inv, $"<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">C-STORE ingest, instances/s vs concurrent associations (client: {client}; {report.Mode} run, {report.Date:yyyy-MM-dd})</text>");
        for (var p = 0; p < workloads.Count; p++)
        {
            var ox = p * panelWidth + 10;
            var rows = report.Measurements.Where(m => m.Workload == workloads[p] && m.Client == client && m.Ok).ToList();
            var max = NiceCeiling(rows.Count == 0 ? 1 : rows.Max(r => r.MaxInstancesPerSecond));
            svg.AppendLine(inv, $"<text x=\"{ox + left}\" y=\"{top - 10}\" font-weight=\"bold\">{Escape(report.Workloads[p].Name)}: {Escape(report.Workloads[p].Description)}</text>");
            for (var t = 0; t <= 4; t++)
            {
                var y = top + plotHeight - plotHeight * t / 4.0;
                svg.AppendLine(inv, $"<line x1=\"{ox + left}\" y1=\"{y:F1}\" x2=\"{ox + left + plotWidth}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>");
                svg.AppendLine(inv, $"<text x=\"{ox + left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{max * t / 4:N0}</text>");
            }

            double X(int i) => ox + left + (counts.Count == 1 ? plotWidth / 2.0 : plotWidth * i / (double)(counts.Count - 1));
            double Y(double v) => top + plotHeight - plotHeight * v / max;
            for (var i = 0; i < counts.Count; i++)
            {
                svg.AppendLine(inv, $"<text x=\"{X(i):F1}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\">{counts[i]}</text>");
            }

            svg.AppendLine(inv, $"<text x=\"{ox + left + plotWidth / 2}\" y=\"{top + plotHeight + 34}\" text-anchor=\"middle\">concurrent associations</text>");
            svg.AppendLine(inv, $"<line x1=\"{ox + left}\" y1=\"{top}\" x2=\"{ox + left}\" y2=\"{top + plotHeight}\" stroke=\"black\"/>");
            svg.AppendLine(inv, $"<line x1=\"{ox + left}\" y1=\"{top + plotHeight}\" x2=\"{ox + left + plotWidth}\" y2=\"{top + plotHeight}\" stroke=\"black\"/>");
            for (var s = 0; s < systemNames.Count; s++)
            {
                var colour = Colours[s % Colours.Length];
                var points = new List<string>();
                for (var i = 0; i < counts.Count; i++)
                {
                    var row = rows.FirstOrDefault(r => r.System == systemNames[s] && r.Associations == counts[i]);
                    if (row is null)
                    {
                        continue;
                    }

                    points.Add(string.Create(inv, $"{X(i):F1},{Y(row.MedianInstancesPerSecond):F1}"));
                    svg.AppendLine(inv, $"<line x1=\"{X(i):F1}\" y1=\"{Y(row.MinInstancesPerSecond):F1}\" x2=\"{X(i):F1}\" y2=\"{Y(row.MaxInstancesPerSecond):F1}\" stroke=\"{colour}\" stroke-width=\"1\"/>");
                    svg.AppendLine(inv, $"<circle cx=\"{X(i):F1}\" cy=\"{Y(row.MedianInstancesPerSecond):F1}\" r=\"3\" fill=\"{colour}\"/>");
                }

                var dash = systemNames[s].StartsWith("storescp --ignore", StringComparison.Ordinal) ? " stroke-dasharray=\"4 3\"" : "";
                svg.AppendLine(inv, $"<polyline points=\"{string.Join(' ', points)}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>");
            }
        }

        for (var s = 0; s < systemNames.Count; s++)
        {
            var y = panelHeight + 10 + 20 * s;
            svg.AppendLine(inv, $"<line x1=\"20\" y1=\"{y}\" x2=\"50\" y2=\"{y}\" stroke=\"{Colours[s % Colours.Length]}\" stroke-width=\"3\"/>");
            svg.AppendLine(inv, $"<text x=\"58\" y=\"{y + 4}\">{Escape(systemNames[s])}: {Escape(report.Systems.FirstOrDefault(x => x.Name == systemNames[s])?.Description ?? "")}</text>");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static double NiceCeiling(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(value, 1))));
        foreach (var step in (double[])[1, 2, 2.5, 5, 7.5, 10])
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);
}
