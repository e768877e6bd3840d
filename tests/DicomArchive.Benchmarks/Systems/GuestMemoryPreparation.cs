using System.Globalization;
using System.Runtime.InteropServices;

namespace DicomArchive.Benchmarks.Systems;

/// <summary>
/// Makes writing to the page cache cost the same for every system of a run on a virtual machine with free page
/// reporting (virtio-balloon): there, memory the guest frees is handed back to the host in 2 MiB blocks, and the next
/// use of it faults it in again from the host, which made each 527 KB file written cost 1-1.5 ms of kernel time in
/// <c>copy_folio_from_iter_atomic</c> (perf) or almost nothing, depending on what the system before it had freed
/// (docs/performance.md, "A second trap"). For the run, reporting is switched off (page_reporting_order above the
/// largest order) and the free memory is touched once, so every system writes into memory the host already backs;
/// the previous setting is restored when disposed. Needs root; without the setting, nothing is changed.
/// </summary>
internal sealed class GuestMemoryPreparation : IDisposable
{
    private const string OrderPath = "/sys/module/page_reporting/parameters/page_reporting_order";

    /// <summary>Above the kernel's largest page order (10): no freed block is ever reported.</summary>
    private const string NoReporting = "11";

    /// <summary>Left untouched so the machine never runs short while the memory is faulted in.</summary>
    private const long ReserveBytes = 3L << 30;

    private readonly string? previousOrder;

    private GuestMemoryPreparation(string? previousOrder, string description)
    {
        this.previousOrder = previousOrder;
        Description = description;
    }

    /// <summary>What was done, for the report's notes.</summary>
    public string Description { get; }

    public static GuestMemoryPreparation Apply()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(OrderPath))
        {
            return new GuestMemoryPreparation(null, "Free page reporting: not present on this machine (nothing changed).");
        }

        var previous = "?";
        try
        {
            previous = File.ReadAllText(OrderPath).Trim();
            File.WriteAllText(OrderPath, NoReporting);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new GuestMemoryPreparation(null, $"Free page reporting: on (order {previous}), could not switch it off ({ex.Message}): file-writing rows vary more.");
        }

        var touched = TouchFreeMemory();
        return new GuestMemoryPreparation(previous,
            $"Free page reporting (virtio-balloon) switched off for the run (page_reporting_order {previous} -> {NoReporting}, restored after) and {touched / (double)(1L << 30):F1} GiB of free memory touched once before the first system, so every system's page-cache writes land in memory the host already backs (docs/performance.md, 'A second trap').");
    }

    public void Dispose()
    {
        if (previousOrder is not null)
        {
            try
            {
                File.WriteAllText(OrderPath, previousOrder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"could not restore {OrderPath} to {previousOrder}: {ex.Message}");
            }
        }
    }

    /// <summary>Faults in MemAvailable minus a reserve, 1 GiB at a time, one write per page, then frees it.</summary>
    private static unsafe long TouchFreeMemory()
    {
        var available = MemAvailableBytes() - ReserveBytes;
        const long chunk = 1L << 30;
        var blocks = new List<nint>();
        long touched = 0;
        try
        {
            while (touched + chunk <= available)
            {
                var block = (byte*)NativeMemory.Alloc((nuint)chunk);
                blocks.Add((nint)block);
                for (long offset = 0; offset < chunk; offset += Environment.SystemPageSize)
                {
                    block[offset] = 1;
                }

                touched += chunk;
            }
        }
        finally
        {
            foreach (var block in blocks)
            {
                NativeMemory.Free((void*)block);
            }
        }

        return touched;
    }

    private static long MemAvailableBytes()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                var kb = line["MemAvailable:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
