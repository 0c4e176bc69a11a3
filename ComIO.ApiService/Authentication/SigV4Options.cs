namespace ComIO.ApiService.Authentication;

/// <summary>Limits applied by <see cref="SigV4Authenticator"/>. Immutable after construction.</summary>
public sealed class SigV4Options
{
    /// <summary>Largest accepted difference between the request time and the server clock (header auth). AWS uses 15 minutes.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Largest accepted <c>X-Amz-Expires</c> of a presigned URL. AWS caps it at 7 days (604,800 s).</summary>
    public TimeSpan MaxPresignedExpiry { get; init; } = TimeSpan.FromDays(7);
}
