using System.Text;
using System.Text.Json;

namespace DicomArchive.Service.Tests.Parity;

/// <summary>pydicom's reading of each corpus file, from one run of pydicom_json.py over all of them.</summary>
internal sealed class PydicomReference
{
    public sealed record Entry(bool Ok, bool Forced, JsonElement Dataset, IReadOnlySet<string> InvalidTags, string? Error);

    private PydicomReference(Dictionary<string, Entry> entries) => Entries = entries;

    public IReadOnlyDictionary<string, Entry> Entries { get; }

    public static PydicomReference Run(string python, IReadOnlyList<string> files)
    {
        var script = Path.Combine(TestContext.CurrentContext.TestDirectory, "Parity", "pydicom_json.py");
        var stdin = new StringBuilder();
        foreach (var file in files)
        {
            stdin.Append(file).Append('\n');
        }

        var result = ProcessRunner.Run(python, [script], stdin.ToString(), TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pydicom_json.py failed ({result.ExitCode}): {result.Error}");
        }

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement.Clone();
            var file = root.GetProperty("file").GetString()!;
            if (!root.GetProperty("ok").GetBoolean())
            {
                entries[file] = new Entry(false, false, default, new HashSet<string>(), root.GetProperty("error").GetString());
                continue;
            }

            var invalid = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in root.GetProperty("invalid").EnumerateArray())
            {
                invalid.Add(item.GetProperty("tag").GetString()!);
            }

            entries[file] = new Entry(true, root.GetProperty("forced").GetBoolean(), root.GetProperty("dataset"), invalid, null);
        }

        return new PydicomReference(entries);
    }
}
