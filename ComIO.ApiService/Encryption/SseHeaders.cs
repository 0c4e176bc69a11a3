namespace ComIO.ApiService.Encryption;

/// <summary>S3 server-side encryption header names and values, and the system-metadata names ComIO stores them under.</summary>
public static class SseHeaders
{
    public const string Algorithm = "x-amz-server-side-encryption";
    public const string KmsKeyId = "x-amz-server-side-encryption-aws-kms-key-id";
    public const string KmsContext = "x-amz-server-side-encryption-context";
    public const string BucketKeyEnabled = "x-amz-server-side-encryption-bucket-key-enabled";
    public const string CustomerAlgorithm = "x-amz-server-side-encryption-customer-algorithm";
    public const string CustomerKey = "x-amz-server-side-encryption-customer-key";
    public const string CustomerKeyMd5 = "x-amz-server-side-encryption-customer-key-MD5";
    public const string CopySourcePrefix = "x-amz-copy-source-";

    public const string Aes256 = "AES256";
    public const string Kms = "aws:kms";
    public const string KmsDsse = "aws:kms:dsse";

    /// <summary>Stored mode: <see cref="Aes256"/> (SSE-S3), <see cref="Kms"/> or <see cref="CustomerMode"/>.</summary>
    public const string ModeMetadata = "x-comio-sse";

    /// <summary>The object's data key wrapped by its key-encryption key (see <see cref="KeyWrap"/>).</summary>
    public const string WrappedKeyMetadata = Contracts.Nodes.InternalApi.WrappedKeyMetadata;

    /// <summary>The id of the key-encryption key: a master key id (SSE-S3) or a KMS key name and version.</summary>
    public const string KeyIdMetadata = "x-comio-sse-key-id";

    /// <summary>SSE-C: base64 of 16-byte random salt + HMAC-SHA256(salt, customer key), to recognise the key later.</summary>
    public const string CustomerKeyHmacMetadata = "x-comio-sse-c-hmac";

    public const string CustomerMode = "SSE-C";

    /// <summary>Prefix shared by every encryption system-metadata name.</summary>
    public const string MetadataPrefix = "x-comio-sse";
}
