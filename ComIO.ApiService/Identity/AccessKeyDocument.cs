namespace ComIO.ApiService.Identity;

/// <summary>
/// An access key as stored in the metadata store (system document namespace <c>access-keys</c>, id = access key id).
/// The secret is stored only encrypted (<see cref="SecretProtector"/>), bound to the access key id.
/// </summary>
public sealed record AccessKeyDocument
{
    public required string AccessKeyId { get; init; }

    public required string UserName { get; init; }

    public required string EncryptedSecret { get; init; }

    public IdentityStatus Status { get; init; } = IdentityStatus.Active;

    public required DateTimeOffset CreatedAt { get; init; }
}
