namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>
/// A forward-only stream of <c>length</c> deterministic bytes, like an HTTP response body. An optional
/// <c>beforeRead</c> runs before each read with the bytes produced so far (a test can hold the producer there).
/// </summary>
public sealed class NonSeekableStream(long length, Func<long, Task>? beforeRead = null) : Stream
{
    private long _position;

    public static byte ByteAt(long position) => (byte)(position * 31 % 251);

    public static byte[] Expected(long length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = ByteAt(i);
        }

        return bytes;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (beforeRead is not null)
        {
            await beforeRead(_position);
        }

        var count = (int)Math.Min(Math.Min(buffer.Length, 64 * 1024), length - _position);
        for (var i = 0; i < count; i++)
        {
            buffer.Span[i] = ByteAt(_position + i);
        }

        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
