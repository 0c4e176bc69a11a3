using System.Diagnostics;

namespace ComIO.Cli.Transfers;

/// <summary>
/// Caps the average rate of bytes read across every part of one transfer (<c>--limit-rate</c>): after each read the
/// caller waits until the bytes read so far are not ahead of <c>rate × elapsed time</c>. Thread-safe.
/// </summary>
public sealed class RateLimiter(long bytesPerSecond)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _bytes;

    public async ValueTask WaitAsync(int bytes, CancellationToken ct)
    {
        var total = Interlocked.Add(ref _bytes, bytes);
        var due = TimeSpan.FromSeconds((double)total / bytesPerSecond) - _clock.Elapsed;
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due, ct);
        }
    }
}
