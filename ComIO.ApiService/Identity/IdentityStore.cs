using System.Security.Cryptography;
using System.Text.Json;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Protocol.Errors;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Identity;

/// <summary>
/// Users and access keys, stored as system documents on every storage node of the site (like bucket records): writes go
/// to every node and succeed only when every node has them durably; reads ask the nodes in turn until one answers, or
/// one named node with its settings stamp. Nothing is cached here (see <see cref="CredentialResolver"/> for what is
/// remembered, and how a disabled key or user still stops working with the next request on every API replica). Every
/// change is then sent to the peer sites (<see cref="PeerSites"/>), so every site knows the same users. Thread-safe.
/// </summary>
public sealed class IdentityStore(ClusterNodes cluster, StorageNodeClient nodes, SecretProtector protector, PeerSites peers, TimeProvider time)
{
    public const string UsersNamespace = "users";
    public const string AccessKeysNamespace = "access-keys";

    private const string AccessKeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>IAM user-name rules: 1–64 characters of letters, digits and <c>+=,.@_-</c>.</summary>
    public static bool IsValidUserName(string name) =>
        name.Length is >= 1 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || "+=,.@_-".Contains(c, StringComparison.Ordinal));

    public async Task<UserDocument?> GetUserAsync(string name, CancellationToken ct) =>
        await ReadAsync(UsersNamespace, name, IdentityJsonContext.Default.UserDocument, ct);

    public async Task<IReadOnlyList<UserDocument>> ListUsersAsync(CancellationToken ct) =>
        await ListAsync(UsersNamespace, IdentityJsonContext.Default.UserDocument, ct);

    /// <summary>Creates a user with a fresh canonical id; null when the name is taken.</summary>
    public async Task<UserDocument?> CreateUserAsync(string name, bool administrator, CancellationToken ct)
    {
        if (await GetUserAsync(name, ct) is not null)
        {
            return null;
        }

        var user = new UserDocument
        {
            Name = name,
            CanonicalId = RandomNumberGenerator.GetHexString(64, lowercase: true),
            Administrator = administrator,
            CreatedAt = time.GetUtcNow(),
        };
        await SaveUserAsync(user, ct);
        return user;
    }

    public Task SaveUserAsync(UserDocument user, CancellationToken ct) =>
        WriteAsync(UsersNamespace, user.Name, JsonSerializer.Serialize(user, IdentityJsonContext.Default.UserDocument), ct);

    /// <summary>Deletes the user's access keys, then the user.</summary>
    public async Task DeleteUserAsync(string name, CancellationToken ct)
    {
        foreach (var key in await ListAccessKeysAsync(name, ct))
        {
            await WriteAsync(AccessKeysNamespace, key.AccessKeyId, null, ct);
        }

        await WriteAsync(UsersNamespace, name, null, ct);
    }

    /// <summary>Issues a new access key (CSPRNG id and 40-character secret) for <paramref name="userName"/>; the secret is returned once.</summary>
    public async Task<(AccessKeyDocument Key, string Secret)> CreateAccessKeyAsync(string userName, CancellationToken ct)
    {
        var accessKeyId = "CK" + RandomNumberGenerator.GetString(AccessKeyAlphabet, 18);
        var secret = RandomNumberGenerator.GetString(SecretAlphabet, 40);
        var key = new AccessKeyDocument
        {
            AccessKeyId = accessKeyId,
            UserName = userName,
            EncryptedSecret = protector.Protect(accessKeyId, secret),
            CreatedAt = time.GetUtcNow(),
        };
        await SaveAccessKeyAsync(key, ct);
        return (key, secret);
    }

    public async Task<AccessKeyDocument?> GetAccessKeyAsync(string accessKeyId, CancellationToken ct) =>
        await ReadAsync(AccessKeysNamespace, accessKeyId, IdentityJsonContext.Default.AccessKeyDocument, ct);

    /// <summary>The access key as <paramref name="node"/> has it, and the node's settings stamp it was read under.</summary>
    public Task<(AccessKeyDocument? Key, string? Stamp)> GetAccessKeyFromAsync(Placement.StorageNodeInfo node, string accessKeyId, CancellationToken ct) =>
        ReadStampedAsync(node, AccessKeysNamespace, accessKeyId, IdentityJsonContext.Default.AccessKeyDocument, ct);

    /// <summary>The user as <paramref name="node"/> has it, and the node's settings stamp it was read under.</summary>
    public Task<(UserDocument? User, string? Stamp)> GetUserFromAsync(Placement.StorageNodeInfo node, string name, CancellationToken ct) =>
        ReadStampedAsync(node, UsersNamespace, name, IdentityJsonContext.Default.UserDocument, ct);

    /// <summary>Every access key, or only <paramref name="userName"/>'s.</summary>
    public async Task<IReadOnlyList<AccessKeyDocument>> ListAccessKeysAsync(string? userName, CancellationToken ct)
    {
        var keys = await ListAsync(AccessKeysNamespace, IdentityJsonContext.Default.AccessKeyDocument, ct);
        return userName is null ? keys : [.. keys.Where(k => k.UserName == userName)];
    }

    public Task SaveAccessKeyAsync(AccessKeyDocument key, CancellationToken ct) =>
        WriteAsync(AccessKeysNamespace, key.AccessKeyId, JsonSerializer.Serialize(key, IdentityJsonContext.Default.AccessKeyDocument), ct);

    public Task DeleteAccessKeyAsync(string accessKeyId, CancellationToken ct) => WriteAsync(AccessKeysNamespace, accessKeyId, null, ct);

    /// <summary>The plain secret of a stored key; null when it cannot be decrypted with the configured key.</summary>
    public string? RevealSecret(AccessKeyDocument key) => protector.Unprotect(key.AccessKeyId, key.EncryptedSecret);

    private async Task<T?> ReadAsync<T>(string documentNamespace, string id, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        var text = await FromAnyNodeAsync(node => nodes.GetSystemDocumentAsync(node, documentNamespace, id, ct), allowNotFound: true);
        return text is null ? null : JsonSerializer.Deserialize(text, type);
    }

    private async Task<(T? Document, string? Stamp)> ReadStampedAsync<T>(Placement.StorageNodeInfo node, string documentNamespace, string id, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        var (result, stamp) = await nodes.GetStampedSystemDocumentAsync(node, documentNamespace, id, ct);
        if (!result.IsSuccess && result.Error!.Status == NodeStatus.NoSuchKey)
        {
            return (null, stamp);
        }

        return (JsonSerializer.Deserialize(result.OrThrow()!, type), stamp);
    }

    private async Task<List<T>> ListAsync<T>(string documentNamespace, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
    {
        var documents = await FromAnyNodeAsync(node => nodes.ListSystemDocumentsAsync(node, documentNamespace, ct), allowNotFound: false) ?? [];
        return [.. documents.Values.Select(text => JsonSerializer.Deserialize(text, type)!)];
    }

    /// <summary>The first answering node's document; null when it has none (and <paramref name="allowNotFound"/>).</summary>
    private async Task<T?> FromAnyNodeAsync<T>(Func<Placement.StorageNodeInfo, Task<NodeResult<T>>> read, bool allowNotFound)
    {
        var result = await cluster.FirstAnswerAsync(read);
        return !result.IsSuccess && allowNotFound && result.Error!.Status == NodeStatus.NoSuchKey ? default : result.OrThrow();
    }

    /// <summary>
    /// Stores a user or access-key document forwarded by a peer site, as sent and on this site only (never forwarded
    /// again). False when the namespace is not an identity namespace or the document does not match its id.
    /// </summary>
    public async Task<bool> StoreFromPeerAsync(string documentNamespace, string id, string? text, CancellationToken ct)
    {
        var valid = documentNamespace switch
        {
            UsersNamespace => text is null || JsonSerializer.Deserialize(text, IdentityJsonContext.Default.UserDocument)?.Name == id,
            AccessKeysNamespace => text is null || JsonSerializer.Deserialize(text, IdentityJsonContext.Default.AccessKeyDocument)?.AccessKeyId == id,
            _ => false,
        };
        if (valid)
        {
            await WriteLocallyAsync(documentNamespace, id, text, ct);
        }

        return valid;
    }

    /// <summary>Writes (or removes) a document on every node of this site, then on every peer site.</summary>
    private async Task WriteAsync(string documentNamespace, string id, string? text, CancellationToken ct)
    {
        await WriteLocallyAsync(documentNamespace, id, text, ct);
        await peers.ForwardAsync(documentNamespace, id, text, ct);
    }

    /// <summary>Writes (or removes) a document on every node; fails unless every node stored it.</summary>
    private Task WriteLocallyAsync(string documentNamespace, string id, string? text, CancellationToken ct) =>
        cluster.OnEveryNodeAsync(node => nodes.SetSystemDocumentAsync(node, documentNamespace, id, text, ct));
}
