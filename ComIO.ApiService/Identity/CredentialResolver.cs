using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Configuration;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Identity;

/// <summary>
/// Finds the secret and principal behind an access key id: the admin's from configuration, otherwise an active key of an
/// active user from the <see cref="IdentityStore"/>. Inactive or unknown keys resolve to null (InvalidAccessKeyId).
/// </summary>
public sealed class CredentialResolver(IdentityStore store, IOptions<AuthOptions> options, ILogger<CredentialResolver> logger)
{
    private readonly AuthOptions _auth = options.Value;

    /// <summary>The admin (root) principal for this configuration.</summary>
    public Principal Root => new()
    {
        UserName = _auth.AdminDisplayName,
        CanonicalId = RootCanonicalId(_auth.AccountId),
        Arn = $"arn:aws:iam::{_auth.AccountId}:root",
        AccountId = _auth.AccountId,
        AccessKeyId = _auth.AdminAccessKey,
        IsRoot = true,
    };

    /// <summary>The canonical id of the admin: stable for the account, whatever the admin's access key.</summary>
    public static string RootCanonicalId(string accountId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("comio-root:" + accountId)));

    public async Task<ResolvedCredential?> ResolveAsync(string accessKeyId, CancellationToken ct)
    {
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(accessKeyId), Encoding.UTF8.GetBytes(_auth.AdminAccessKey)))
        {
            return new ResolvedCredential(_auth.AdminSecretKey, Root);
        }

        if (!accessKeyId.StartsWith("CK", StringComparison.Ordinal) || accessKeyId.Length != 20)
        {
            return null;
        }

        var key = await store.GetAccessKeyAsync(accessKeyId, ct);
        if (key is not { Status: IdentityStatus.Active })
        {
            return null;
        }

        var user = await store.GetUserAsync(key.UserName, ct);
        if (user is not { Status: IdentityStatus.Active })
        {
            return null;
        }

        var secret = store.RevealSecret(key);
        if (secret is null)
        {
            logger.LogError("The secret of access key {AccessKeyId} cannot be decrypted: is Auth:SecretEncryptionKey the key it was stored with?", accessKeyId);
            return null;
        }

        return new ResolvedCredential(secret, ToPrincipal(user, accessKeyId));
    }

    /// <summary>The principal of <paramref name="user"/> (used for owners and grantees too).</summary>
    public Principal ToPrincipal(UserDocument user, string accessKeyId) => new()
    {
        UserName = user.Name,
        CanonicalId = user.CanonicalId,
        Arn = $"arn:aws:iam::{_auth.AccountId}:user/{user.Name}",
        AccountId = _auth.AccountId,
        AccessKeyId = accessKeyId,
        IsAdministrator = user.Administrator,
        Policies = user.Policies,
    };
}
