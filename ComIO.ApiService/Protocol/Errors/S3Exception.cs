namespace ComIO.ApiService.Protocol.Errors;

/// <summary>
/// Raised by protocol code (authentication, body decoding, XML parsing) when a request must be answered
/// with an S3 error. The single error writer turns it into the S3 XML error response; it never carries
/// internal details to the client beyond <see cref="Message"/>.
/// </summary>
public sealed class S3Exception : Exception
{
    public S3Exception(S3ErrorCode error, string? message = null, Exception? inner = null)
        : base(message ?? error.DefaultMessage, inner)
    {
        Error = error;
    }

    public S3ErrorCode Error { get; }

    /// <summary>Extra elements AWS adds to some errors (e.g. <c>StringToSign</c>, <c>RequestTime</c>), written after <c>RequestId</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraElements { get; init; } = [];

    /// <summary>
    /// Response headers AWS sends with this error (e.g. <c>Content-Range: bytes */size</c> with 416 InvalidRange,
    /// <c>ETag</c> and <c>Last-Modified</c> with 304). The error writer clears the response first, so handlers must
    /// carry such headers here rather than setting them on the response before throwing.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; init; } = [];
}
