using System.Security.Cryptography;
using ComIO.ApiService.Protocol.Bodies;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Authentication;

/// <summary>
/// A read-only, forward-only wrapper that computes the SHA-256 of everything read from the inner stream and, when the
/// inner stream reaches EOF, compares it in fixed time with the signed <c>x-amz-content-sha256</c>. A mismatch throws
/// <see cref="S3Exception"/> with <see cref="S3ErrorCode.XAmzContentSHA256Mismatch"/> instead of returning EOF, and every
/// later read throws again.
/// </summary>
/// <remarks>
/// Bytes are handed out before the hash is known: callers must read to EOF (a 0-byte read) without error before
/// committing the data. Does not own (dispose) the inner stream. Not thread-safe (like any stream).
/// </remarks>
public sealed class PayloadHashVerifyingStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly byte[] _expected = new byte[32];
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private S3Exception? _failure;
    private bool _verified;
    private long _bytesRead;

    /// <param name="inner">The raw request body.</param>
    /// <param name="expectedSha256Hex">The signed payload hash, 64 hex digits (either case).</param>
    public PayloadHashVerifyingStream(Stream inner, string expectedSha256Hex)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(expectedSha256Hex);
        if (!SigV4Encoding.TryParseSha256Hex(expectedSha256Hex, _expected))
        {
            throw new ArgumentException("Expected a SHA-256 as 64 hex digits.", nameof(expectedSha256Hex));
        }

        _inner = inner;
    }

    /// <summary>Whether EOF was reached and the hash matched.</summary>
    public bool IsVerified => _verified && _failure is null;

    protected override long BytesRead => _bytesRead;

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        ThrowIfFailed();
        var read = _inner.Read(buffer);
        return OnRead(buffer[..read], buffer.IsEmpty);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return OnRead(buffer.Span[..read], buffer.IsEmpty);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int OnRead(ReadOnlySpan<byte> data, bool emptyRequest)
    {
        if (!data.IsEmpty)
        {
            _hash.AppendData(data);
            _bytesRead += data.Length;
            return data.Length;
        }

        if (emptyRequest || _verified)
        {
            return 0;
        }

        _verified = true;
        Span<byte> actual = stackalloc byte[32];
        _hash.GetHashAndReset(actual);
        if (!CryptographicOperations.FixedTimeEquals(actual, _expected))
        {
            _failure = new S3Exception(S3ErrorCode.XAmzContentSHA256Mismatch)
            {
                ExtraElements =
                [
                    new("ClientComputedContentSHA256", Convert.ToHexStringLower(_expected)),
                    new("S3ComputedContentSHA256", Convert.ToHexStringLower(actual)),
                ],
            };
            throw _failure;
        }

        return 0;
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw _failure;
        }
    }
}
