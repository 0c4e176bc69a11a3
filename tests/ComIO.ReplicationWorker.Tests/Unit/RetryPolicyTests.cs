using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Processing;

namespace ComIO.ReplicationWorker.Tests.Unit;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 15, 0, 0, TimeSpan.Zero);

    private static RetryPolicy Policy(int maxAttempts = 12, TimeSpan? minRetryTime = null) => new(new ReplicationWorkerOptions
    {
        InitialBackoff = TimeSpan.FromMilliseconds(500),
        MaxBackoff = TimeSpan.FromSeconds(30),
        MaxAttempts = maxAttempts,
        MinRetryTime = minRetryTime ?? TimeSpan.FromMinutes(5),
    });

    [Theory]
    [InlineData(1, 500)]
    [InlineData(2, 1000)]
    [InlineData(3, 2000)]
    [InlineData(7, 30000)]
    [InlineData(8, 30000)]
    [InlineData(1000, 30000)]
    public void BackoffCap_DoublesFromTheInitialBackoff_UpToTheMaximum(int attempt, int expectedMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), Policy().BackoffCap(attempt));

    [Fact]
    public void Backoff_IsFullJitter_UniformBetweenZeroAndTheCap()
    {
        var policy = Policy();
        var delays = Enumerable.Range(0, 2000).Select(_ => policy.Backoff(6)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(16)));
        Assert.Contains(delays, d => d < TimeSpan.FromSeconds(2));
        Assert.Contains(delays, d => d > TimeSpan.FromSeconds(14));
        Assert.InRange(delays.Average(d => d.TotalSeconds), 7, 9);
    }

    [Fact]
    public void ShouldGiveUp_OnlyOnceBothTheAttemptsAndTheMinimumRetryTimeAreUsedUp()
    {
        var policy = Policy(maxAttempts: 12);
        var old = Now.AddMinutes(-6);
        var young = Now.AddMinutes(-2);

        Assert.False(policy.ShouldGiveUp(11, old, Now));
        Assert.True(policy.ShouldGiveUp(12, old, Now));
        Assert.True(policy.ShouldGiveUp(40, old, Now));
        Assert.False(policy.ShouldGiveUp(12, young, Now)); // a destination down for two minutes does not dead-letter
        Assert.True(policy.ShouldGiveUp(12, null, Now));
    }

    [Fact]
    public void Defaults_DoNotDeadLetterDuringATwoMinuteOutage_EvenWhenEveryAttemptIsUsed()
    {
        // With full jitter, 12 attempts can be spent in far less than two minutes (every wait may be near zero), so
        // the attempt limit alone cannot honour "a destination down for a couple of minutes never dead-letters".
        var options = new ReplicationWorkerOptions();
        var policy = new RetryPolicy(options);

        Assert.False(policy.ShouldGiveUp(options.MaxAttempts, Now.AddMinutes(-2), Now));
        Assert.True(policy.ShouldGiveUp(options.MaxAttempts, Now - options.MinRetryTime, Now));
    }
}
