namespace ComIO.ApiService.Configuration;

/// <summary>
/// Identity settings (<c>Auth__…</c>): the admin (root) credentials, the key that encrypts users' secret access keys at
/// rest, and the account id used in ARNs. Secrets here are never logged.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public string AdminAccessKey { get; set; } = "";

    public string AdminSecretKey { get; set; } = "";

    /// <summary>Display name of the admin in S3 <c>Owner</c> elements.</summary>
    public string AdminDisplayName { get; set; } = "comio-admin";

    /// <summary>
    /// Base64 of 32 random bytes: the AES-256-GCM key that encrypts users' secret access keys in the metadata store.
    /// Every API replica of every site must use the same key; losing it makes stored user secrets unreadable.
    /// </summary>
    public string SecretEncryptionKey { get; set; } = "";

    /// <summary>The 12-digit account id in user ARNs (<c>arn:aws:iam::{AccountId}:user/{name}</c>).</summary>
    public string AccountId { get; set; } = "000000000000";
}
