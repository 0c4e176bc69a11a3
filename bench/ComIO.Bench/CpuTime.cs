using System.Diagnostics;

namespace ComIO.Bench;

/// <summary>CPU time (user + kernel, all threads) consumed by this process so far.</summary>
internal static class CpuTime
{
    public static TimeSpan Now()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
