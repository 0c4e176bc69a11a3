using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Protocol.Bodies;

/// <summary>
/// Forwards exactly <c>length</c> bytes of a decoded request body, but before handing out the final byte it reads the
/// inner stream to its end, so verifications that run at end of stream (payload SHA-256, chunk signatures, trailing
/// checksums) throw before the storage node has received the whole body. A node commits only after it has read
/// every declared byte, so a body that fails verification is never stored. A body longer than declared is refused.
/// Not thread-safe; read-only; forward-only.
/// </summary>
public sealed class EndVerifiedStream(Stream inner, long length) : ReadOnlyStream
{
    private readonly long _length = length;
    private long _remaining = length;

    /// <summary>The declared decoded length.</summary>
    public long DeclaredLength => _length;

    protected override long BytesRead => _length - _remaining;

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining == 0 || buffer.Length == 0)
        {
            return 0;
        }

        var wanted = (int)Math.Min(buffer.Length, _remaining);
        var read = await inner.ReadAsync(buffer[..wanted], cancellationToken);
        if (read == 0)
        {
            throw new S3Exception(S3ErrorCode.IncompleteBody);
        }

        _remaining -= read;
        if (_remaining == 0)
        {
            var probe = new byte[1];
            if (await inner.ReadAsync(probe, cancellationToken) != 0)
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, "The request body is longer than its declared length.");
            }
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
