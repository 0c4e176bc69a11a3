namespace ComIO.ApiService.Tests.Authentication;

/// <summary>A clock stuck at one instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
