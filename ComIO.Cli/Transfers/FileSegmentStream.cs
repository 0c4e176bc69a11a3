namespace ComIO.Cli.Transfers;

/// <summary>
/// A read-only, seekable view of <c>[offset, offset + length)</c> of a file (one multipart part), optionally throttled by
/// a shared <see cref="RateLimiter"/>. Owns its file handle.
/// </summary>
public sealed class FileSegmentStream : Stream
{
    private readonly FileStream _file;
    private readonly long _offset;
    private readonly long _length;
    private readonly RateLimiter? _limiter;
    private long _position;

    public FileSegmentStream(string path, long offset, long length, RateLimiter? limiter)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
        _offset = offset;
        _length = length;
        _limiter = limiter;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, _length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = Clip(buffer.Length);
        if (n == 0)
        {
            return 0;
        }

        var read = RandomAccess.Read(_file.SafeFileHandle, buffer[..n], _offset + _position);
        _position += read;
        _limiter?.WaitAsync(read, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = Clip(buffer.Length);
        if (n == 0)
        {
            return 0;
        }

        var read = await RandomAccess.ReadAsync(_file.SafeFileHandle, buffer[..n], _offset + _position, cancellationToken);
        _position += read;
        if (_limiter is not null)
        {
            await _limiter.WaitAsync(read, cancellationToken);
        }

        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Clip(int requested) => (int)Math.Min(requested, _length - _position);
}
