namespace ComIO.Storage.Tests.Support;

/// <summary>
/// A read-only stream over <c>data</c> whose reads return pieces of pseudo-random size (1 byte to ~100 KiB, never aligned
/// to anything), as a network body arrives. Optionally ends after <c>truncateAt</c> bytes.
/// </summary>
public sealed class UnevenReadStream(byte[] data, int seed, int truncateAt = int.MaxValue) : Stream
{
    private readonly Random _random = new(seed);
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var piece = _random.Next(4) == 0 ? _random.Next(1, 64) : _random.Next(1, 100_000);
        var count = Math.Min(Math.Min(buffer.Length, piece), Math.Min(data.Length, truncateAt) - _position);
        data.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return Read(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
