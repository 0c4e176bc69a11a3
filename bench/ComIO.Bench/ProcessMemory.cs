using System.Globalization;

namespace ComIO.Bench;

/// <summary>Reads this process's resident-set figures from <c>/proc/self/status</c> (Linux).</summary>
internal static class ProcessMemory
{
    /// <summary>Peak resident set size (VmHWM) in bytes, or -1 if unavailable.</summary>
    public static long PeakResidentBytes() => ReadKilobytes("VmHWM:");

    /// <summary>Current resident set size (VmRSS) in bytes, or -1 if unavailable.</summary>
    public static long ResidentBytes() => ReadKilobytes("VmRSS:");

    /// <summary>Resets VmHWM to the current RSS (writing "5" to /proc/self/clear_refs); false if not permitted.</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long ReadKilobytes(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var digits = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(digits, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return -1;
    }
}
