using System.Text;

namespace DicomArchive.Service;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        UseUtf8Console();
        return DicomArchiveCli.RunAsync(args, Console.Out, Console.Error);
    }

    /// <summary>Dumps are UTF-8 on every platform (Windows consoles default to an OEM code page).</summary>
    private static void UseUtf8Console()
    {
        if (!OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            Console.OutputEncoding = new UTF8Encoding(false);
        }
        catch (IOException)
        {
            // No console attached (running as a Windows service): nothing to set.
        }
    }
}
