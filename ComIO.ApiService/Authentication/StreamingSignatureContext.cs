namespace ComIO.ApiService.Authentication;

/// <summary>
/// What <see cref="AwsChunkedStream"/> needs to verify chained chunk signatures of a signed aws-chunked body:
/// the derived signing key, the request timestamp and credential scope, and the seed (request) signature.
/// Immutable; the signing key is never exposed outside this assembly.
/// </summary>
public sealed class StreamingSignatureContext
{
    private readonly byte[] _signingKey;

    /// <param name="signingKey">The SigV4 signing key (HMAC chain over date, region, service, <c>aws4_request</c>); copied.</param>
    /// <param name="timestamp">The request timestamp in ISO 8601 basic format (<c>20130524T000000Z</c>).</param>
    /// <param name="scope">The credential scope, <c>date/region/s3/aws4_request</c>.</param>
    /// <param name="seedSignature">The request's own signature (lower-case hex); the first chunk signature chains from it.</param>
    /// <param name="hasTrailer">Whether a signed trailer (<c>x-amz-trailer-signature</c>) must follow the final chunk.</param>
    public StreamingSignatureContext(ReadOnlySpan<byte> signingKey, string timestamp, string scope, string seedSignature, bool hasTrailer)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(seedSignature);
        if (signingKey.Length != 32)
        {
            throw new ArgumentException("A SigV4 signing key is 32 bytes.", nameof(signingKey));
        }

        _signingKey = signingKey.ToArray();
        Timestamp = timestamp;
        Scope = scope;
        SeedSignature = seedSignature.ToLowerInvariant();
        HasTrailer = hasTrailer;
    }

    /// <summary>The request timestamp in ISO 8601 basic format.</summary>
    public string Timestamp { get; }

    /// <summary>The credential scope <c>yyyyMMdd/region/s3/aws4_request</c>.</summary>
    public string Scope { get; }

    /// <summary>The seed signature (lower-case hex).</summary>
    public string SeedSignature { get; }

    /// <summary>Whether a signed trailer follows the final zero-length chunk.</summary>
    public bool HasTrailer { get; }

    internal ReadOnlySpan<byte> SigningKey => _signingKey;
}
