using System.Diagnostics;

namespace ComIO.Cli.Transfers;

/// <summary>
/// Caps the average rate of bytes read across every part of one transfer (<c>--limit-rate</c>): after each read the
/// caller waits until the bytes read so far are not ahead of <c>rate × time since the first read</c>. Approximate: the
/// SDK may read a part more than once (payload hash, retries), and every read counts. Thread-safe.
/// </summary>
public sealed class RateLimiter(long bytesPerSecond)
{
    private long _startTimestamp;
    private long _bytes;

    public async ValueTask WaitAsync(int bytes, CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref _startTimestamp, now, 0);
        var total = Interlocked.Add(ref _bytes, bytes);
        var due = TimeSpan.FromSeconds((double)total / bytesPerSecond) - Stopwatch.GetElapsedTime(Interlocked.Read(ref _startTimestamp), now);
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due, ct);
        }
    }
}
