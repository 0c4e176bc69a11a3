namespace ComIO.ApiService.Identity;

/// <summary>
/// An authenticated caller: the admin (root, from configuration) or a user from the identity store. Immutable; built per
/// request from the caller's access key (the admin's once, and shared). Anonymous callers have no principal.
/// </summary>
public sealed record Principal
{
    public required string UserName { get; init; }

    /// <summary>The S3 canonical user id (64 lower-case hex characters) used in <c>Owner</c> and ACL grants.</summary>
    public required string CanonicalId { get; init; }

    /// <summary><c>arn:aws:iam::{account}:user/{name}</c>, or <c>arn:aws:iam::{account}:root</c> for the admin.</summary>
    public required string Arn { get; init; }

    public required string AccountId { get; init; }

    /// <summary>The verified access key the request was signed with.</summary>
    public required string AccessKeyId { get; init; }

    /// <summary>The configured admin: every S3 and admin operation is allowed (policies and ACLs are not consulted).</summary>
    public bool IsRoot { get; init; }

    /// <summary>A user the admin marked as administrator: may call the admin API; S3 access still follows policies.</summary>
    public bool IsAdministrator { get; init; }

    /// <summary>The user's identity policies (IAM JSON), by policy name.</summary>
    public IReadOnlyDictionary<string, string> Policies { get; init; } = new Dictionary<string, string>();

    /// <summary>Display name in S3 <c>Owner</c> elements.</summary>
    public string DisplayName => UserName;

    public bool MayAdminister => IsRoot || IsAdministrator;
}
