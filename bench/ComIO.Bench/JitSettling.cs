using System.Diagnostics;
using System.Runtime;

namespace ComIO.Bench;

/// <summary>
/// Warm-up that ends when the JIT has settled, not after a fixed count. With tiered compilation a method is compiled
/// again (instrumented, then optimised) only after it has been called often enough and the JIT has been quiet for a
/// while, and that work runs on background threads. A few hundred warm-up requests leave most of it for the first
/// measured cell, where it competes for this machine's two cores (the 1-stream cells, measured first, lost up to 40 %).
/// <see cref="RunAsync"/> repeats a round of the workload until <see cref="QuietRounds"/> consecutive rounds compiled at
/// most <see cref="QuietMethods"/> methods each, or until the time limit.
/// </summary>
internal static class JitSettling
{
    public const int QuietMethods = 5;
    public const int QuietRounds = 2;

    /// <param name="round">One pass of the workload to warm; should last half a second or more (tier-1 recompilation waits for a quiet 100 ms).</param>
    /// <param name="limit">Stop after this long even if the JIT is still busy (reported as not settled).</param>
    public static async Task<BenchResult> RunAsync(Func<Task> round, TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        var methodsBefore = JitInfo.GetCompiledMethodCount();
        var jitTimeBefore = JitInfo.GetCompilationTime();
        var rounds = 0;
        var quiet = 0;
        while (quiet < QuietRounds && Stopwatch.GetElapsedTime(started) < limit)
        {
            var before = JitInfo.GetCompiledMethodCount();
            await round();
            rounds++;
            quiet = JitInfo.GetCompiledMethodCount() - before <= QuietMethods ? quiet + 1 : 0;
        }

        var result = new BenchResult("warmup");
        result.Add("seconds", Stopwatch.GetElapsedTime(started).TotalSeconds);
        result.Add("rounds", rounds);
        result.Add("settled", quiet >= QuietRounds ? 1 : 0);
        result.Add("quiet_rounds", QuietRounds);
        result.Add("quiet_methods", QuietMethods);
        result.Add("methods_compiled", JitInfo.GetCompiledMethodCount() - methodsBefore);
        result.Add("jit_ms", (JitInfo.GetCompilationTime() - jitTimeBefore).TotalMilliseconds);
        return result;
    }
}
