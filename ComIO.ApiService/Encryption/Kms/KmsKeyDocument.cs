namespace ComIO.ApiService.Encryption.Kms;

/// <summary>
/// A named key of the local key service (system document <c>kms-keys/{name}</c> on every node of the site). Each version's
/// 32-byte key material is stored wrapped by the site's master key; rotation adds a version and makes it current, and
/// old versions stay so objects encrypted under them remain readable.
/// </summary>
public sealed record KmsKeyDocument
{
    public required string Name { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required int CurrentVersion { get; init; }

    public required List<KmsKeyVersion> Versions { get; init; }
}

/// <summary>One version of a KMS key: its material wrapped by the master key <see cref="MasterKeyId"/>.</summary>
public sealed record KmsKeyVersion(int Version, DateTimeOffset CreatedAt, string MasterKeyId, string WrappedMaterial);

/// <summary>What the admin API shows of a KMS key (never its material).</summary>
public sealed record KmsKeyView(string Name, string Arn, int CurrentVersion, IReadOnlyList<int> Versions, DateTimeOffset CreatedAt, DateTimeOffset RotatedAt);

/// <summary>Body of POST /kms/keys.</summary>
public sealed record CreateKmsKeyRequest(string Name);
