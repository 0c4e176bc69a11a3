namespace ComIO.ReplicationWorker.S3;

/// <summary>
/// Presents a forward-only body of known length as seekable, because AWSSDK's UploadPart wraps every part body in a
/// <c>PartialWrapperStream</c> that demands <see cref="Stream.CanSeek"/> (it only reads <see cref="Position"/> and
/// <see cref="Length"/>; the SDK seeks back only to retry, and the worker's clients never retry). A seek to the current
/// position is allowed; any other seek throws, so a rewind can never silently send wrong bytes. Does not own the inner stream.
/// </summary>
public sealed class PartBodyStream(Stream inner, long length) : Stream
{
    private readonly long _length = length;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, _length - _position)]);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _length - _position)], cancellationToken);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        return target == _position ? _position : throw new NotSupportedException("A part body is forward-only; it cannot be rewound.");
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
