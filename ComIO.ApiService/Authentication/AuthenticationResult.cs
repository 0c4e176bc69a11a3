namespace ComIO.ApiService.Authentication;

/// <summary>
/// The outcome of a successful <see cref="SigV4Authenticator.Authenticate"/>: who signed the request and how the
/// body must be read. Failed authentication never produces a result (an <c>S3Exception</c> is thrown instead).
/// </summary>
public sealed class AuthenticationResult
{
    /// <summary>The result for a request that carries no credentials at all.</summary>
    public static AuthenticationResult Anonymous { get; } = new() { IsAnonymous = true, Payload = PayloadMode.Unsigned };

    /// <summary><see langword="true"/> when the request had neither an <c>Authorization</c> header nor <c>X-Amz-Algorithm</c> query parameter.</summary>
    public bool IsAnonymous { get; init; }

    /// <summary>The verified access key ID; <see langword="null"/> when anonymous.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The region from the credential scope the client signed with.</summary>
    public string? Region { get; init; }

    /// <summary>The signing time (<c>x-amz-date</c>, <c>Date</c> or <c>X-Amz-Date</c>).</summary>
    public DateTimeOffset? SignedAt { get; init; }

    /// <summary>Whether the credentials came from the query string (presigned URL).</summary>
    public bool IsPresigned { get; init; }

    /// <summary>How the body is protected; the request pipeline picks the body wrapper from it.</summary>
    public PayloadMode Payload { get; init; }

    /// <summary>Lower-case hex SHA-256 of the body when <see cref="Payload"/> is <see cref="PayloadMode.SignedSha256"/>.</summary>
    public string? ExpectedPayloadSha256 { get; init; }

    /// <summary>Chunk-signature state when <see cref="Payload"/> is <see cref="PayloadMode.StreamingSigned"/> or <see cref="PayloadMode.StreamingSignedTrailer"/>.</summary>
    public StreamingSignatureContext? Streaming { get; init; }

    /// <summary><c>x-amz-decoded-content-length</c> for streaming payloads (the object size); <see langword="null"/> otherwise.</summary>
    public long? DecodedContentLength { get; init; }

    /// <summary>The <c>x-amz-trailer</c> header (e.g. <c>x-amz-checksum-crc32</c>) naming the trailer the client promised; <see langword="null"/> when absent.</summary>
    public string? DeclaredTrailer { get; init; }

    /// <summary>
    /// Wraps the raw request body in the reader <see cref="Payload"/> requires: <see cref="PayloadHashVerifyingStream"/> for
    /// <see cref="PayloadMode.SignedSha256"/>, <see cref="AwsChunkedStream"/> for the aws-chunked modes, the body itself otherwise.
    /// The caller must read the returned stream to EOF without error before committing anything (verification completes
    /// only at EOF). The wrapper does not dispose <paramref name="body"/>.
    /// </summary>
    public Stream WrapBody(Stream body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Payload switch
        {
            PayloadMode.SignedSha256 => new PayloadHashVerifyingStream(body, ExpectedPayloadSha256!),
            PayloadMode.StreamingSigned or PayloadMode.StreamingSignedTrailer or PayloadMode.StreamingUnsignedTrailer
                => new AwsChunkedStream(body, Streaming, DecodedContentLength ?? 0),
            _ => body,
        };
    }

    /// <summary>Whether <see cref="Payload"/> is one of the aws-chunked modes (body must be read through <see cref="AwsChunkedStream"/>).</summary>
    public bool IsStreaming => Payload is PayloadMode.StreamingSigned or PayloadMode.StreamingUnsignedTrailer or PayloadMode.StreamingSignedTrailer;
}
