namespace ComIO.ApiService.Encryption;

/// <summary>
/// How a write is encrypted: a fresh data key (sent to the node for this request only) and the system-metadata entries
/// that let a later read recover it (mode, wrapped key, key id, SSE-C HMAC). Never logged.
/// </summary>
public sealed class EncryptionPlan
{
    public required string Mode { get; init; }

    public required byte[] DataKey { get; init; }

    public required Dictionary<string, string> Metadata { get; init; }

    /// <summary>SSE-C: the key MD5 the client sent (echoed in responses).</summary>
    public string? CustomerKeyMd5 { get; init; }

    /// <summary>SSE-KMS: the key the response names.</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>True when the ETag must not be the plaintext's MD5 (SSE-C and SSE-KMS, as AWS).</summary>
    public bool OpaqueETag => Mode != SseHeaders.Aes256;
}
