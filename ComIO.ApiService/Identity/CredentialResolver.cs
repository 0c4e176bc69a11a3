using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Configuration;
using ComIO.ApiService.Placement;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Identity;

/// <summary>
/// Finds the secret and principal behind an access key id: the admin's from configuration, otherwise an active key of an
/// active user from the <see cref="IdentityStore"/>. Inactive or unknown keys resolve to null (InvalidAccessKeyId).
/// </summary>
/// <remarks>
/// For the hot object operations (<see cref="ResolveForNodeAsync"/>) a user's credential is remembered per (node, key)
/// together with the node's settings stamp both documents were read under. A request decided with it sends that stamp
/// with its one node call, and the node refuses it once any user, key or policy changed there (every identity write
/// goes to every node and moves its stamp before the admin call returns); the request is then served again with the
/// identity read afresh (<see cref="IdentityBinding"/>). So a disabled key or user, or a changed user policy, applies to
/// the next request on every API replica, without two identity reads per request. Only active credentials are
/// remembered: an unknown key is looked up every time, so a new key works at once. Thread-safe.
/// </remarks>
public sealed class CredentialResolver(IdentityStore store, IOptions<AuthOptions> options, ILogger<CredentialResolver> logger)
{
    private const int MaxRemembered = 10_000;

    private readonly AuthOptions _auth = options.Value;

    private readonly ConcurrentDictionary<(string Node, string AccessKeyId), ResolvedCredential> _remembered = new();

    private Principal? _root;

    /// <summary>The admin (root) principal for this configuration (built once: the configuration does not change).</summary>
    public Principal Root => _root ??= new()
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

    /// <summary>The credential as the nodes have it now (read from the first node that answers).</summary>
    public async Task<ResolvedCredential?> ResolveAsync(string accessKeyId, CancellationToken ct)
    {
        if (IsAdmin(accessKeyId))
        {
            return new ResolvedCredential(_auth.AdminSecretKey, Root);
        }

        if (!IsUserKeyId(accessKeyId))
        {
            return null;
        }

        var key = await store.GetAccessKeyAsync(accessKeyId, ct);
        var user = key is { Status: IdentityStatus.Active } ? await store.GetUserAsync(key.UserName, ct) : null;
        return Credential(key, user, stamp: null);
    }

    /// <summary>
    /// The credential for a request whose object operation calls <paramref name="node"/>: a user's from memory when
    /// remembered for that node, otherwise read from that node (and remembered when both documents were read under
    /// one stamp). A user's credential carries its <see cref="ResolvedCredential.Stamp"/> unless the node sent none.
    /// </summary>
    public async Task<ResolvedCredential?> ResolveForNodeAsync(string accessKeyId, StorageNodeInfo node, CancellationToken ct)
    {
        if (IsAdmin(accessKeyId))
        {
            return new ResolvedCredential(_auth.AdminSecretKey, Root);
        }

        if (!IsUserKeyId(accessKeyId))
        {
            return null;
        }

        if (_remembered.TryGetValue((node.Id, accessKeyId), out var remembered))
        {
            return remembered;
        }

        var (key, keyStamp) = await store.GetAccessKeyFromAsync(node, accessKeyId, ct);
        var (user, userStamp) = key is { Status: IdentityStatus.Active } ? await store.GetUserFromAsync(node, key.UserName, ct) : (null, null);
        var stamp = keyStamp is not null && keyStamp == userStamp ? new IdentityStamp(keyStamp, node.Id, FromMemory: false) : null;
        var credential = Credential(key, user, stamp);
        if (credential?.Stamp is not null)
        {
            if (_remembered.Count >= MaxRemembered)
            {
                _remembered.Clear();
            }

            // Kept as later requests will see it: taken from memory.
            _remembered[(node.Id, accessKeyId)] = credential with { Stamp = credential.Stamp with { FromMemory = true } };
        }

        return credential;
    }

    /// <summary>Drops what is remembered of <paramref name="accessKeyId"/> for <paramref name="nodeId"/> (its stamp was refused).</summary>
    public void Forget(string nodeId, string accessKeyId) => _remembered.TryRemove((nodeId, accessKeyId), out _);

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

    private bool IsAdmin(string accessKeyId) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(accessKeyId), Encoding.UTF8.GetBytes(_auth.AdminAccessKey));

    private static bool IsUserKeyId(string accessKeyId) => accessKeyId.StartsWith("CK", StringComparison.Ordinal) && accessKeyId.Length == 20;

    /// <summary>The credential of an active key of an active user; null otherwise.</summary>
    private ResolvedCredential? Credential(AccessKeyDocument? key, UserDocument? user, IdentityStamp? stamp)
    {
        if (key is not { Status: IdentityStatus.Active } || user is not { Status: IdentityStatus.Active } || user.Name != key.UserName)
        {
            return null;
        }

        var secret = store.RevealSecret(key);
        if (secret is null)
        {
            logger.LogError("The secret of access key {AccessKeyId} cannot be decrypted: is Auth:SecretEncryptionKey the key it was stored with?", key.AccessKeyId);
            return null;
        }

        return new ResolvedCredential(secret, ToPrincipal(user, key.AccessKeyId), stamp);
    }
}
