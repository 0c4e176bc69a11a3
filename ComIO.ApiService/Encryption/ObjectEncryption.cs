using System.Security.Cryptography;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Encryption.Kms;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.Contracts.Nodes;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Encryption;

/// <summary>
/// Server-side encryption decisions of the API service (S3 semantics): which mode a write uses (request headers, else the
/// bucket's default encryption), a fresh random data key per object (per upload for multipart) wrapped by the master key
/// (SSE-S3) or the customer's key (SSE-C), and the recovery of that key for reads. The storage node receives only the
/// unwrapped data key, per request, over the authenticated internal API; it encrypts/decrypts chunks with it. Keys are
/// never logged or stored in the clear. Thread-safe.
/// </summary>
public sealed class ObjectEncryption(MasterKeyRing masterKeys, KmsKeyStore kms, IOptions<EncryptionOptions> options, ILogger<ObjectEncryption> logger)
{
    private bool AllowSseCOverHttp => options.Value.AllowSseCOverHttp;

    /// <summary>True when the request names an encryption mode itself (not counting the bucket default).</summary>
    public static bool ExplicitlyRequested(S3Request request) =>
        request.Header(SseHeaders.Algorithm) is not null || CustomerKey.IsPresent(request);

    /// <summary>
    /// The encryption of a new object (PutObject, CopyObject destination, CreateMultipartUpload, POST): from the request's
    /// SSE headers, else from the bucket's default encryption; null = stored in the clear. Throws the AWS errors for
    /// invalid combinations and NotImplemented for what ComIO does not support, so a client that asked for encryption
    /// never gets plaintext storage.
    /// </summary>
    public async Task<EncryptionPlan?> PlanWriteAsync(S3Request request, BucketSettings? settings, string bucket, string key)
    {
        var algorithm = request.Header(SseHeaders.Algorithm);
        var customer = CustomerKey.FromRequest(request, AllowSseCOverHttp);
        if (customer is not null && algorithm is not null)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Server Side Encryption with Customer provided key is incompatible with the encryption method specified");
        }

        if (request.Header(SseHeaders.KmsKeyId) is not null && algorithm is not (SseHeaders.Kms or SseHeaders.KmsDsse))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms");
        }

        if (customer is not null)
        {
            return PlanCustomer(customer, bucket, key);
        }

        var kmsKeyId = request.Header(SseHeaders.KmsKeyId);
        if (algorithm is null && settings?[BucketSettingNames.Encryption] is { } stored)
        {
            var configuration = BucketEncryptionConfiguration.Parse(stored);
            algorithm = configuration.Algorithm;
            kmsKeyId = configuration.KmsKeyId;
        }

        return algorithm switch
        {
            null => null,
            SseHeaders.Aes256 => PlanS3(bucket, key),
            SseHeaders.Kms => await PlanKmsAsync(kmsKeyId, bucket, key, request.Aborted),
            SseHeaders.KmsDsse => throw new S3Exception(S3ErrorCode.NotImplemented, "Dual-layer SSE-KMS (aws:kms:dsse) is not implemented by ComIO."),
            _ => throw new S3Exception(S3ErrorCode.InvalidArgument, "The encryption method specified is not supported"),
        };
    }

    private async Task<EncryptionPlan> PlanKmsAsync(string? kmsKeyId, string bucket, string key, CancellationToken ct)
    {
        var name = KmsKeyStore.NameOf(kmsKeyId) ?? throw new S3Exception(KmsKeyStore.NotFound, $"Invalid keyId '{kmsKeyId}'");
        var (_, version, material) = await kms.CurrentAsync(name, ct);
        var keyId = KmsKeyId(name, version);
        var dataKey = RandomNumberGenerator.GetBytes(KeyWrap.DataKeyBytes);
        return new EncryptionPlan
        {
            Mode = SseHeaders.Kms,
            DataKey = dataKey,
            KmsKeyId = kms.ArnOf(name),
            Metadata = new(StringComparer.Ordinal)
            {
                [SseHeaders.ModeMetadata] = SseHeaders.Kms,
                [SseHeaders.KeyIdMetadata] = keyId,
                [SseHeaders.WrappedKeyMetadata] = KeyWrap.Wrap(material, dataKey, Context(SseHeaders.Kms, keyId, bucket, key)),
            },
        };
    }

    /// <summary>The stored key id of an SSE-KMS object: <c>name#version</c>.</summary>
    private static string KmsKeyId(string name, int version) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}#{version}");

    private EncryptionPlan PlanS3(string bucket, string key)
    {
        if (masterKeys.CurrentId is not { } keyId)
        {
            throw new S3Exception(S3ErrorCode.NotImplemented, "SSE-S3 needs a master key (Encryption:MasterKey or Encryption:MasterKeyFile); none is configured.");
        }

        var dataKey = RandomNumberGenerator.GetBytes(KeyWrap.DataKeyBytes);
        return new EncryptionPlan
        {
            Mode = SseHeaders.Aes256,
            DataKey = dataKey,
            Metadata = new(StringComparer.Ordinal)
            {
                [SseHeaders.ModeMetadata] = SseHeaders.Aes256,
                [SseHeaders.KeyIdMetadata] = keyId,
                [SseHeaders.WrappedKeyMetadata] = KeyWrap.Wrap(masterKeys.Current, dataKey, Context(SseHeaders.Aes256, keyId, bucket, key)),
            },
        };
    }

    private static EncryptionPlan PlanCustomer(CustomerKey customer, string bucket, string key)
    {
        var dataKey = RandomNumberGenerator.GetBytes(KeyWrap.DataKeyBytes);
        return new EncryptionPlan
        {
            Mode = SseHeaders.CustomerMode,
            DataKey = dataKey,
            CustomerKeyMd5 = customer.Md5,
            Metadata = new(StringComparer.Ordinal)
            {
                [SseHeaders.ModeMetadata] = SseHeaders.CustomerMode,
                [SseHeaders.CustomerKeyHmacMetadata] = customer.SaltedHmac(),
                [SseHeaders.WrappedKeyMetadata] = KeyWrap.Wrap(customer.Key, dataKey, Context(SseHeaders.CustomerMode, "", bucket, key)),
            },
        };
    }

    /// <summary>
    /// <paramref name="metadata"/> with the encryption entries of <paramref name="plan"/> (any copied from a source object
    /// removed first, so a copy never inherits the source's wrapped key).
    /// </summary>
    public static PutObjectMetadata Apply(PutObjectMetadata metadata, EncryptionPlan? plan)
    {
        var system = new Dictionary<string, string>(metadata.SystemMetadata, StringComparer.Ordinal);
        foreach (var name in system.Keys.Where(static n => n.StartsWith(SseHeaders.MetadataPrefix, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            system.Remove(name);
        }

        if (plan is not null)
        {
            foreach (var (name, value) in plan.Metadata)
            {
                system[name] = value;
            }
        }

        return metadata with { SystemMetadata = system };
    }

    /// <summary>The stored encryption mode of an object or upload (null = in the clear).</summary>
    public static string? ModeOf(IReadOnlyDictionary<string, string> systemMetadata) => systemMetadata.GetValueOrDefault(SseHeaders.ModeMetadata);

    /// <summary>
    /// The data key of an encrypted object or upload for a read (GET, UploadPart into it, copy source with
    /// <paramref name="copySource"/>): unwrapped with the master key, or — for SSE-C — with the customer key the request
    /// carries (InvalidRequest when it carries none, AccessDenied when it is not the object's key). Null for data in
    /// the clear; then SSE-C headers on the request are InvalidRequest, as AWS answers.
    /// </summary>
    public async Task<byte[]?> ResolveKeyAsync(S3Request request, IReadOnlyDictionary<string, string> systemMetadata, string bucket, string key, bool copySource = false)
    {
        var prefix = copySource ? SseHeaders.CopySourcePrefix : "";
        var mode = ModeOf(systemMetadata);
        if (mode != SseHeaders.CustomerMode)
        {
            if (CustomerKey.IsPresent(request, prefix))
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, "The encryption parameters are not applicable to this object.");
            }

            if (mode is null)
            {
                return null;
            }
        }

        var wrapped = systemMetadata.GetValueOrDefault(SseHeaders.WrappedKeyMetadata);
        if (wrapped is null)
        {
            logger.LogError("Encrypted object {Bucket}/{Key} has no wrapped data key", bucket, key);
            throw new S3Exception(S3ErrorCode.InternalError);
        }

        if (mode == SseHeaders.CustomerMode)
        {
            var customer = CustomerKey.FromRequest(request, AllowSseCOverHttp, prefix)
                ?? throw new S3Exception(S3ErrorCode.InvalidRequest, "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.");
            if (!customer.Matches(systemMetadata.GetValueOrDefault(SseHeaders.CustomerKeyHmacMetadata) ?? ""))
            {
                throw new S3Exception(S3ErrorCode.AccessDenied);
            }

            return KeyWrap.Unwrap(customer.Key, wrapped, Context(mode, "", bucket, key)) ?? throw new S3Exception(S3ErrorCode.AccessDenied);
        }

        if (mode == SseHeaders.Aes256)
        {
            var keyId = systemMetadata.GetValueOrDefault(SseHeaders.KeyIdMetadata) ?? "";
            var master = masterKeys.Find(keyId);
            if (master is null)
            {
                logger.LogError("Object {Bucket}/{Key} is encrypted under master key {KeyId}, which is not configured (Encryption:PreviousMasterKeys?)", bucket, key, keyId);
                throw new S3Exception(S3ErrorCode.InternalError, "The key that encrypted this object is not available.");
            }

            var dataKey = KeyWrap.Unwrap(master, wrapped, Context(mode, keyId, bucket, key));
            if (dataKey is null)
            {
                logger.LogError("The data key of {Bucket}/{Key} does not unwrap under master key {KeyId}", bucket, key, keyId);
                throw new S3Exception(S3ErrorCode.InternalError);
            }

            return dataKey;
        }

        if (mode == SseHeaders.Kms)
        {
            var keyId = systemMetadata.GetValueOrDefault(SseHeaders.KeyIdMetadata) ?? "";
            var hash = keyId.LastIndexOf('#');
            var material = hash > 0 && int.TryParse(keyId.AsSpan(hash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
                ? await kms.MaterialAsync(keyId[..hash], version, null, request.Aborted)
                : null;
            var dataKey = material is null ? null : KeyWrap.Unwrap(material, wrapped, Context(mode, keyId, bucket, key));
            if (dataKey is null)
            {
                logger.LogError("The data key of {Bucket}/{Key} does not unwrap under KMS key {KeyId}", bucket, key, keyId);
                throw new S3Exception(S3ErrorCode.InternalError, "The KMS key that encrypted this object is not available.");
            }

            return dataKey;
        }

        throw new S3Exception(S3ErrorCode.NotImplemented, $"Objects encrypted with {mode} cannot be read by this ComIO version.");
    }

    /// <summary>The encryption response headers of a new write (PUT, copy, CreateMultipartUpload, POST).</summary>
    public static void WriteResponseHeaders(HttpResponse response, EncryptionPlan? plan)
    {
        if (plan is not null)
        {
            WriteHeaders(response, plan.Mode, plan.CustomerKeyMd5, plan.KmsKeyId);
        }
    }

    /// <summary>The encryption response headers of a read (GET, HEAD) or of a write into an existing upload.</summary>
    public void WriteResponseHeaders(S3Request request, IReadOnlyDictionary<string, string> systemMetadata)
    {
        if (ModeOf(systemMetadata) is { } mode)
        {
            var keyId = systemMetadata.GetValueOrDefault(SseHeaders.KeyIdMetadata);
            var arn = mode == SseHeaders.Kms && keyId is not null ? kms.ArnOf(keyId.Split('#')[0]) : null;
            WriteHeaders(request.Response, mode, request.Header(SseHeaders.CustomerKeyMd5), arn);
        }
    }

    private static void WriteHeaders(HttpResponse response, string mode, string? customerKeyMd5, string? kmsKeyId)
    {
        if (mode == SseHeaders.CustomerMode)
        {
            response.Headers[SseHeaders.CustomerAlgorithm] = SseHeaders.Aes256;
            if (customerKeyMd5 is not null)
            {
                response.Headers[SseHeaders.CustomerKeyMd5] = customerKeyMd5;
            }

            return;
        }

        response.Headers[SseHeaders.Algorithm] = mode;
        if (mode == SseHeaders.Kms && kmsKeyId is not null)
        {
            response.Headers[SseHeaders.KmsKeyId] = kmsKeyId;
        }
    }

    /// <summary>Associated data of a wrapped key: binds it to its mode, key-encryption key and object.</summary>
    private static string Context(string mode, string keyId, string bucket, string key) => $"comio-sse-v1\n{mode}\n{keyId}\n{bucket}\n{key}";
}
