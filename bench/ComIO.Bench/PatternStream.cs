namespace ComIO.Bench;

/// <summary>
/// A read-only body of <see cref="Length"/> bytes generated from a shared random pattern, so a benchmark can stream
/// gigabytes without holding them in memory. Different <c>seed</c>s give different bytes. Not thread-safe.
/// </summary>
internal sealed class PatternStream : Stream
{
    private readonly ReadOnlyMemory<byte> _pattern;
    private readonly long _length;
    private readonly int _shift;
    private long _position;

    public PatternStream(ReadOnlyMemory<byte> pattern, long length, int seed)
    {
        _pattern = pattern;
        _length = length;
        _shift = (int)((uint)seed * 4099u % (uint)pattern.Length);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>A pattern of <paramref name="size"/> pseudo-random bytes (fixed seed).</summary>
    public static byte[] CreatePattern(int size)
    {
        var pattern = new byte[size];
        new Random(20261126).NextBytes(pattern);
        return pattern;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length && _position < _length)
        {
            var start = (int)((_position + _shift) % _pattern.Length);
            var count = (int)Math.Min(Math.Min(buffer.Length - total, _pattern.Length - start), _length - _position);
            _pattern.Span.Slice(start, count).CopyTo(buffer[total..]);
            total += count;
            _position += count;
        }

        return total;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
