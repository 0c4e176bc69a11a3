using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Protocol.Bodies;

/// <summary>
/// Computes an S3 additional checksum over a decoded aws-chunked body and, when the body ends, compares it with the
/// trailing header the client sent (e.g. <c>x-amz-checksum-crc32</c>). A mismatch or a missing trailer throws
/// <c>BadDigest</c>/<c>InvalidRequest</c> from the read that reaches end of stream. Read-only, forward-only, not thread-safe.
/// </summary>
public sealed class TrailingChecksumStream(AwsChunkedStream inner, string trailerName) : ReadOnlyStream
{
    private readonly PayloadChecksum _checksum = new(trailerName["x-amz-checksum-".Length..]);
    private bool _verified;
    private long _bytesRead;

    protected override long BytesRead => _bytesRead;

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            _checksum.Append(buffer.Span[..read]);
            _bytesRead += read;
            return read;
        }

        if (!_verified && buffer.Length > 0)
        {
            Verify();
        }

        return 0;
    }

    private void Verify()
    {
        _verified = true;
        if (!inner.Trailers.TryGetValue(trailerName, out var claimed))
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, $"The request declared the trailer {trailerName} but did not send it.");
        }

        var computed = _checksum.GetBase64();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(claimed.Trim())))
        {
            throw new S3Exception(S3ErrorCode.BadDigest, $"The {_checksum.Algorithm} you specified did not match the calculated checksum.");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _checksum.Dispose();
        }

        base.Dispose(disposing);
    }
}
