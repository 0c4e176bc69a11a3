using System.Security.Cryptography;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Encryption;

/// <summary>An SSE-C key from request headers: algorithm (AES256), the 32-byte key, and its MD5 as the client sent it.</summary>
public sealed class CustomerKey
{
    private static readonly S3ErrorCode InvalidEncryptionAlgorithm = new("InvalidEncryptionAlgorithmError", System.Net.HttpStatusCode.BadRequest, "The Encryption request you specified is not valid. Supported value: AES256.");

    private CustomerKey(byte[] key, string md5)
    {
        Key = key;
        Md5 = md5;
    }

    public byte[] Key { get; }

    public string Md5 { get; }

    /// <summary>True when the request carries any SSE-C header (with <paramref name="prefix"/>: the copy-source ones).</summary>
    public static bool IsPresent(S3Request request, string prefix = "") =>
        request.Header(Name(prefix, SseHeaders.CustomerAlgorithm)) is not null || request.Header(Name(prefix, SseHeaders.CustomerKey)) is not null
        || request.Header(Name(prefix, SseHeaders.CustomerKeyMd5)) is not null;

    /// <summary>
    /// The header <paramref name="name"/> (an <c>x-amz-server-side-encryption-customer-*</c> name) with
    /// <paramref name="prefix"/>: unchanged for "", <c>x-amz-copy-source-server-side-encryption-customer-*</c> for the copy source.
    /// </summary>
    public static string Name(string prefix, string name) => prefix.Length == 0 ? name : prefix + name["x-amz-".Length..];

    /// <summary>
    /// Parses the SSE-C headers (<paramref name="prefix"/> "" or <c>x-amz-copy-source-</c>), or null when there are none.
    /// Throws the AWS errors: InvalidEncryptionAlgorithmError, InvalidArgument (missing header, bad key, MD5 mismatch),
    /// InvalidRequest over plain HTTP unless allowed.
    /// </summary>
    public static CustomerKey? FromRequest(S3Request request, bool allowHttp, string prefix = "")
    {
        if (!IsPresent(request, prefix))
        {
            return null;
        }

        if (!request.Http.Request.IsHttps && !allowHttp)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.");
        }

        var algorithm = request.Header(Name(prefix, SseHeaders.CustomerAlgorithm));
        var keyText = request.Header(Name(prefix, SseHeaders.CustomerKey));
        var md5Text = request.Header(Name(prefix, SseHeaders.CustomerKeyMd5));
        if (algorithm is null)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.");
        }

        if (algorithm != SseHeaders.Aes256)
        {
            throw new S3Exception(InvalidEncryptionAlgorithm);
        }

        if (keyText is null)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.");
        }

        if (md5Text is null)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.");
        }

        var key = new byte[KeyWrap.DataKeyBytes + 3];
        if (!Convert.TryFromBase64String(keyText, key, out var length) || length != KeyWrap.DataKeyBytes)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The secret key was invalid for the specified algorithm.");
        }

        key = key[..KeyWrap.DataKeyBytes];
        Span<byte> md5 = stackalloc byte[16];
        var given = new byte[19];
        if (!Convert.TryFromBase64String(md5Text, given, out var md5Length) || md5Length != 16
            || !CryptographicOperations.FixedTimeEquals(MD5.HashData(key, md5) == 16 ? md5 : [], given.AsSpan(0, 16)))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The calculated MD5 hash of the key did not match the hash that was provided.");
        }

        return new CustomerKey(key, md5Text);
    }

    /// <summary>base64(16-byte random salt | HMAC-SHA256(salt, key)): lets a later request's key be recognised; reveals nothing of it.</summary>
    public string SaltedHmac()
    {
        var output = new byte[16 + 32];
        RandomNumberGenerator.Fill(output.AsSpan(0, 16));
        HMACSHA256.HashData(output.AsSpan(0, 16), Key, output.AsSpan(16));
        return Convert.ToBase64String(output);
    }

    /// <summary>True when <paramref name="stored"/> (from <see cref="SaltedHmac"/>) was made from this key.</summary>
    public bool Matches(string stored)
    {
        var bytes = new byte[51];
        if (!Convert.TryFromBase64String(stored, bytes, out var length) || length != 48)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(bytes.AsSpan(0, 16), Key, mac);
        return CryptographicOperations.FixedTimeEquals(mac, bytes.AsSpan(16, 32));
    }
}
