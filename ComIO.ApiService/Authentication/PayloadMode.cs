namespace ComIO.ApiService.Authentication;

/// <summary>How the request body is protected, from <c>x-amz-content-sha256</c> (or the presigned query).</summary>
public enum PayloadMode
{
    /// <summary>No body protection: anonymous request, <c>UNSIGNED-PAYLOAD</c>, or a presigned URL without a content hash.</summary>
    Unsigned,

    /// <summary>The body's SHA-256 is signed; wrap the body in <see cref="PayloadHashVerifyingStream"/>.</summary>
    SignedSha256,

    /// <summary><c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD</c>: aws-chunked body with chained chunk signatures; wrap in <see cref="AwsChunkedStream"/>.</summary>
    StreamingSigned,

    /// <summary><c>STREAMING-UNSIGNED-PAYLOAD-TRAILER</c>: aws-chunked body without signatures, followed by trailing headers.</summary>
    StreamingUnsignedTrailer,

    /// <summary><c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER</c>: signed chunks plus signed trailing headers.</summary>
    StreamingSignedTrailer,
}
