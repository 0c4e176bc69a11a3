namespace ComIO.ApiService.Identity;

/// <summary>A user as stored in the metadata store (system document namespace <c>users</c>, id = user name).</summary>
public sealed record UserDocument
{
    public required string Name { get; init; }

    /// <summary>Random 64 lower-case hex characters chosen at creation; never reused, even for a recreated name.</summary>
    public required string CanonicalId { get; init; }

    public IdentityStatus Status { get; init; } = IdentityStatus.Active;

    public bool Administrator { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Identity policies (IAM JSON text, validated when attached) by policy name.</summary>
    public Dictionary<string, string> Policies { get; init; } = [];
}
