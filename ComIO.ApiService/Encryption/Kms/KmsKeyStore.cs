using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using ComIO.ApiService.Configuration;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Protocol.Errors;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Encryption.Kms;

/// <summary>
/// ComIO's local key service for SSE-KMS: named 256-bit keys kept as system documents on every node of the site (like
/// users), their material (HKDF-SHA256 of the master key for name and version) stored wrapped by the master key. Keys are created and rotated through the admin API; the key
/// <see cref="DefaultKeyName"/> (S3's <c>aws/s3</c>) is created on first use. Unwrapped material of a version is cached
/// (versions never change). Thread-safe.
/// </summary>
public sealed class KmsKeyStore(ClusterNodes cluster, StorageNodeClient nodes, MasterKeyRing masterKeys, IOptions<AuthOptions> auth, IOptions<Configuration.S3Options> s3, TimeProvider time)
{
    public const string Namespace = "kms-keys";

    /// <summary>The bucket key used when SSE-KMS names no key (S3's AWS-managed <c>aws/s3</c> key).</summary>
    public const string DefaultKeyName = "default";

    public static readonly S3ErrorCode NotFound = new("KMS.NotFoundException", System.Net.HttpStatusCode.BadRequest, "Invalid keyId");

    private readonly ConcurrentDictionary<(string Name, int Version), byte[]> _materials = new();
    private readonly SemaphoreSlim _writes = new(1, 1);

    public static bool IsValidName(string name) =>
        name.Length is >= 1 and <= 64 && name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// The key name an <c>x-amz-server-side-encryption-aws-kms-key-id</c> value (or a bucket's KMSMasterKeyID) names: a
    /// name, <c>alias/name</c> or an ARN <c>arn:aws:kms:region:account:key/name</c> / <c>…:alias/name</c>; <c>aws/s3</c>
    /// (and no value) is <see cref="DefaultKeyName"/>. Null when the value cannot name a key.
    /// </summary>
    public static string? NameOf(string? keyId)
    {
        if (string.IsNullOrWhiteSpace(keyId))
        {
            return DefaultKeyName;
        }

        var value = keyId.Trim();
        if (value.StartsWith("arn:", StringComparison.Ordinal))
        {
            var resource = value.Split(':', 6);
            value = resource.Length == 6 ? resource[5] : "";
            value = value.StartsWith("key/", StringComparison.Ordinal) ? value[4..] : value;
        }

        value = value.StartsWith("alias/", StringComparison.Ordinal) ? value[6..] : value;
        return value == "aws/s3" ? DefaultKeyName : IsValidName(value) ? value : null;
    }

    public string ArnOf(string name) => $"arn:aws:kms:{s3.Value.Region}:{auth.Value.AccountId}:key/{name}";

    public KmsKeyView View(KmsKeyDocument key) =>
        new(key.Name, ArnOf(key.Name), key.CurrentVersion, [.. key.Versions.Select(static v => v.Version)], key.CreatedAt, key.Versions.Max(static v => v.CreatedAt));

    public async Task<KmsKeyDocument?> GetAsync(string name, CancellationToken ct)
    {
        var result = await cluster.FirstAnswerAsync(node => nodes.GetSystemDocumentAsync(node, Namespace, name, ct));
        if (!result.IsSuccess)
        {
            return result.Error!.Status == Contracts.Nodes.NodeStatus.NoSuchKey ? null : throw NodeErrorMapper.ToS3(result.Error);
        }

        return JsonSerializer.Deserialize(result.Value!, KmsJsonContext.Default.KmsKeyDocument);
    }

    public async Task<List<KmsKeyDocument>> ListAsync(CancellationToken ct)
    {
        var documents = (await cluster.FirstAnswerAsync(node => nodes.ListSystemDocumentsAsync(node, Namespace, ct))).OrThrow() ?? [];
        return [.. documents.Values.Select(text => JsonSerializer.Deserialize(text, KmsJsonContext.Default.KmsKeyDocument)!).OrderBy(static k => k.Name, StringComparer.Ordinal)];
    }

    /// <summary>Creates a key with version 1; null when one of that name exists.</summary>
    public async Task<KmsKeyDocument?> CreateAsync(string name, CancellationToken ct)
    {
        await _writes.WaitAsync(ct);
        try
        {
            if (await GetAsync(name, ct) is not null)
            {
                return null;
            }

            var key = new KmsKeyDocument { Name = name, CreatedAt = time.GetUtcNow(), CurrentVersion = 1, Versions = [NewVersion(name, 1)] };
            await SaveAsync(key, ct);
            return key;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Adds a new version and makes it current (old versions stay for reads); null when the key does not exist.</summary>
    public async Task<KmsKeyDocument?> RotateAsync(string name, CancellationToken ct)
    {
        await _writes.WaitAsync(ct);
        try
        {
            if (await GetAsync(name, ct) is not { } key)
            {
                return null;
            }

            var version = key.Versions.Max(static v => v.Version) + 1;
            var rotated = key with { CurrentVersion = version, Versions = [.. key.Versions, NewVersion(name, version)] };
            await SaveAsync(rotated, ct);
            return rotated;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// The current version and material of the key a write names (the default key is created on first use); throws
    /// <see cref="NotFound"/> for an unknown key.
    /// </summary>
    public async Task<(string Name, int Version, byte[] Material)> CurrentAsync(string name, CancellationToken ct)
    {
        var key = await GetAsync(name, ct);
        if (key is null && name == DefaultKeyName)
        {
            key = await CreateAsync(name, ct) ?? await GetAsync(name, ct);
        }

        if (key is null)
        {
            throw new S3Exception(NotFound, $"Invalid keyId '{name}'");
        }

        return (name, key.CurrentVersion, await MaterialAsync(name, key.CurrentVersion, key, ct) ?? throw new S3Exception(S3ErrorCode.InternalError));
    }

    /// <summary>The material of one version (cached), or null when the key or version does not exist or cannot be unwrapped.</summary>
    public async Task<byte[]?> MaterialAsync(string name, int version, KmsKeyDocument? known, CancellationToken ct)
    {
        if (_materials.TryGetValue((name, version), out var cached))
        {
            return cached;
        }

        var key = known ?? await GetAsync(name, ct);
        var stored = key?.Versions.Find(v => v.Version == version);
        if (stored is null || masterKeys.Find(stored.MasterKeyId) is not { } master)
        {
            return null;
        }

        var material = KeyWrap.Unwrap(master, stored.WrappedMaterial, Context(name, version));
        if (material is not null)
        {
            _materials[(name, version)] = material;
        }

        return material;
    }

    public Task<KmsKeyDocument?> EnsureExistsAsync(string name, CancellationToken ct) => GetAsync(name, ct);

    private KmsKeyVersion NewVersion(string name, int version)
    {
        if (masterKeys.CurrentId is not { } masterId)
        {
            throw new S3Exception(S3ErrorCode.NotImplemented, "SSE-KMS needs a master key (Encryption:MasterKey or Encryption:MasterKeyFile); none is configured.");
        }

        // Derived, not random: two API replicas creating the same version at once (the default key on first use, or a
        // rotation racing another) write the same material, so whichever document wins, every object stays readable.
        var material = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKeys.Current, KeyWrap.DataKeyBytes, [], System.Text.Encoding.UTF8.GetBytes(Context(name, version)));
        return new KmsKeyVersion(version, time.GetUtcNow(), masterId, KeyWrap.Wrap(masterKeys.Current, material, Context(name, version)));
    }

    private Task SaveAsync(KmsKeyDocument key, CancellationToken ct) =>
        cluster.OnEveryNodeAsync(node => nodes.SetSystemDocumentAsync(node, Namespace, key.Name, JsonSerializer.Serialize(key, KmsJsonContext.Default.KmsKeyDocument), ct));

    private static string Context(string name, int version) => $"comio-kms-v1\n{name}\n{version}";
}
