using ComIO.Storage.Devices;

namespace ComIO.Storage.Objects;

/// <summary>
/// Read-only, forward-only stream over <c>[start, start + length)</c> of an extent-backed object. Data is read in whole
/// chunks into one pooled aligned buffer and each chunk's CRC32C is verified before any of its bytes are returned.
/// Holds a read lease on the object's extents until disposed. Not thread-safe.
/// </summary>
internal sealed class ObjectReadStream : Stream
{
    private readonly IBlockDevice _device;
    private readonly ObjectRecord _record;
    private readonly AlignedBuffer _buffer;
    private readonly Action _release;
    private readonly StorageMetrics _metrics;
    private readonly long _end;
    private readonly long _start;
    private long _position;
    private long _bufferedStart;
    private long _bufferedEnd;
    private bool _disposed;

    public ObjectReadStream(IBlockDevice device, ObjectRecord record, long start, long length, AlignedBuffer buffer, StorageMetrics metrics, Action release)
    {
        _device = device;
        _record = record;
        _start = start;
        _position = start;
        _end = start + length;
        _buffer = buffer;
        _metrics = metrics;
        _release = release;
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _end - _start;

    public override long Position
    {
        get => _position - _start;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override int Read(Span<byte> buffer)
    {
        var rented = new byte[buffer.Length];
        var read = Read(rented, 0, rented.Length);
        rented.AsSpan(0, read).CopyTo(buffer);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_position >= _end || buffer.Length == 0)
        {
            return 0;
        }

        if (_position < _bufferedStart || _position >= _bufferedEnd)
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        var count = (int)Math.Min(buffer.Length, Math.Min(_bufferedEnd, _end) - _position);
        _buffer.Memory.Slice((int)(_position - _bufferedStart), count).CopyTo(buffer);
        _position += count;
        _metrics.BytesRead(count);
        return count;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        var chunkSize = _record.ChunkSize;
        var firstChunk = (int)(_position / chunkSize);
        var lastChunk = (int)((_end - 1) / chunkSize);
        var count = Math.Min(_buffer.Length / chunkSize, lastChunk - firstChunk + 1);
        _bufferedStart = _bufferedEnd = 0;
        await ChunkReader.ReadAsync(_device, _record, firstChunk, count, _buffer.Memory, cancellationToken).ConfigureAwait(false);
        var bad = ChunkReader.FindMismatch(_record, firstChunk, count, _buffer.Span, out var actual);
        if (bad >= 0)
        {
            _metrics.ChecksumFailure();
            var deviceOffset = _record.MapToDevice((long)bad * chunkSize, out _);
            throw new ChecksumMismatchException(_record.Bucket, _record.Key, deviceOffset, bad, _record.ChunkCrcs[bad], actual);
        }

        _bufferedStart = (long)firstChunk * chunkSize;
        _bufferedEnd = Math.Min(_record.Size, (long)(firstChunk + count) * chunkSize);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            _buffer.Dispose();
            _release();
        }

        base.Dispose(disposing);
    }
}
