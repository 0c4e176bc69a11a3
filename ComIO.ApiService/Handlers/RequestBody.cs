using System.Buffers;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Bodies;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// Opens a request's payload as the decoded object bytes, with every verification the authentication result asks
/// for (signed payload hash, aws-chunked signatures and trailers) applied before the final byte is released.
/// </summary>
public static class RequestBody
{
    /// <summary>Maximum size of a single PUT, as AWS.</summary>
    public const long MaxSinglePutBytes = 5L * 1024 * 1024 * 1024;

    /// <returns>The decoded body and its length, or -1 when the client sent no length and <paramref name="requireLength"/> is false.</returns>
    public static (Stream Body, long Length) Open(S3Request request, bool requireLength = true)
    {
        if (request.ReplayableBody is { } replay)
        {
            return (new MemoryStream(replay.Array!, replay.Offset, replay.Count, writable: false), replay.Count);
        }

        request.BodyOpened = true;
        var http = request.Http.Request;
        var auth = request.Auth;
        var contentEncoding = request.Header("Content-Encoding");
        var isChunked = auth.Payload is PayloadMode.StreamingSigned or PayloadMode.StreamingUnsignedTrailer or PayloadMode.StreamingSignedTrailer
            || (contentEncoding?.Contains("aws-chunked", StringComparison.OrdinalIgnoreCase) ?? false);

        long length;
        Stream body;
        if (isChunked)
        {
            var decoded = request.Header("x-amz-decoded-content-length");
            if (decoded is null || !long.TryParse(decoded, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out length))
            {
                throw new S3Exception(S3ErrorCode.MissingContentLength, "x-amz-decoded-content-length is required with aws-chunked uploads.");
            }

            var chunked = new AwsChunkedStream(http.Body, auth.Streaming, length);
            var trailer = request.Header("x-amz-trailer")?.Trim().ToLowerInvariant();
            body = trailer is not null && trailer.StartsWith("x-amz-checksum-", StringComparison.Ordinal)
                ? new TrailingChecksumStream(chunked, trailer)
                : chunked;
        }
        else
        {
            if (http.ContentLength is { } declared)
            {
                length = declared;
            }
            else if (requireLength)
            {
                throw new S3Exception(S3ErrorCode.MissingContentLength);
            }
            else
            {
                length = -1; // unknown (Transfer-Encoding: chunked): the caller reads to the end with its own bound
            }

            body = auth.Payload == PayloadMode.SignedSha256 && auth.ExpectedPayloadSha256 is { } expected
                ? new PayloadHashVerifyingStream(http.Body, expected)
                : http.Body;
        }

        if (length > MaxSinglePutBytes)
        {
            throw new S3Exception(S3ErrorCode.EntityTooLarge);
        }

        return (length < 0 ? body : new EndVerifiedStream(body, length), length);
    }

    /// <summary>
    /// As <see cref="Open"/>; a payload of at most <paramref name="maxReplayable"/> bytes is read whole (every
    /// verification applied) and kept on the request, so the request can be served again without the client resending.
    /// The payload's array is rented from <see cref="ArrayPool{T}.Shared"/> and returned when the HTTP request ends.
    /// </summary>
    public static async Task<(Stream Body, long Length)> OpenReplayableAsync(S3Request request, long maxReplayable)
    {
        var (body, length) = Open(request);
        if (request.ReplayableBody is not null || length > maxReplayable)
        {
            return (body, length);
        }

        var payload = new ArraySegment<byte>(ArrayPool<byte>.Shared.Rent((int)length), 0, (int)length);
        request.Http.Response.RegisterForDispose(new PooledArray(payload.Array!));
        await body.ReadExactlyAsync(payload, request.Aborted); // the stream verifies the payload's end with its last byte

        request.ReplayableBody = payload;
        return (new MemoryStream(payload.Array!, 0, payload.Count, writable: false), length);
    }

    /// <summary>Gives a rented array back to the shared pool once, when the request that used it ends.</summary>
    private sealed class PooledArray(byte[] array) : IDisposable
    {
        private byte[]? _array = array;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } array)
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }
    }
}
