namespace ComIO.Storage.Devices;

/// <summary>
/// An in-memory device for tests. Enforces the same alignment rules as <see cref="DirectIoBlockDevice"/>. Contents
/// survive disposal (so an engine can be reopened on the same instance) and writes are immediately "durable".
/// Thread-safe for concurrent I/O to disjoint ranges.
/// </summary>
public sealed class MemoryBlockDevice : IBlockDevice
{
    private readonly byte[] _data;
    private long _bytesWritten;

    public MemoryBlockDevice(long capacity, int blockSize = 4096, string path = "memory")
    {
        BlockDeviceGuard.ValidateBlockSize(blockSize);
        if (capacity <= 0 || capacity % blockSize != 0 || capacity > Array.MaxLength)
        {
            throw new ArgumentException($"Capacity {capacity} must be a positive multiple of {blockSize} that fits in memory.", nameof(capacity));
        }

        _data = new byte[capacity];
        BlockSize = blockSize;
        Capacity = capacity;
        Path = path;
    }

    public string Path { get; }

    public int BlockSize { get; }

    public long Capacity { get; }

    /// <summary>Total bytes written since creation.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Direct access to the contents, for test inspection and corruption.</summary>
    public Span<byte> RawData => _data;

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BlockDeviceGuard.ValidateIo(this, offset, buffer);
        buffer.Span.CopyTo(_data.AsSpan((int)offset, buffer.Length));
        Interlocked.Add(ref _bytesWritten, buffer.Length);
        return ValueTask.CompletedTask;
    }

    public ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BlockDeviceGuard.ValidateIo(this, offset, buffer);
        _data.AsSpan((int)offset, buffer.Length).CopyTo(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.CompletedTask;
    }

    /// <summary>Does nothing: the contents stay available for reopening.</summary>
    public void Dispose()
    {
    }
}
