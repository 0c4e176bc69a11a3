using System.Collections.Concurrent;

namespace ComIO.Storage.Devices;

/// <summary>
/// A pool of fixed-size <see cref="AlignedBuffer"/>s. Thread-safe. Buffers returned beyond <c>maxRetained</c> are freed.
/// Disposing the pool frees the retained buffers; buffers still rented are freed when they are disposed.
/// </summary>
public sealed class AlignedBufferPool : IDisposable
{
    private readonly ConcurrentBag<AlignedBuffer> _buffers = [];
    private readonly int _maxRetained;
    private int _retained;
    private volatile bool _disposed;

    public AlignedBufferPool(int bufferSize, int alignment = 4096, int maxRetained = 32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferSize);
        BlockDeviceGuard.ValidateBlockSize(alignment);
        if (bufferSize % alignment != 0)
        {
            throw new ArgumentException($"Buffer size {bufferSize} must be a multiple of the alignment {alignment}.", nameof(bufferSize));
        }

        BufferSize = bufferSize;
        Alignment = alignment;
        _maxRetained = maxRetained;
    }

    /// <summary>A process-wide pool of 1 MiB buffers aligned to 4096 bytes.</summary>
    public static AlignedBufferPool Shared { get; } = new(1024 * 1024, 4096, 64);

    public int BufferSize { get; }

    public int Alignment { get; }

    /// <summary>Rents a buffer of <see cref="BufferSize"/> bytes; contents are unspecified.</summary>
    public AlignedBuffer Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_buffers.TryTake(out var buffer))
        {
            Interlocked.Decrement(ref _retained);
        }
        else
        {
            buffer = new AlignedBuffer(BufferSize, Alignment, this, clear: false);
        }

        buffer.MarkRented();
        return buffer;
    }

    internal bool TryReturn(AlignedBuffer buffer)
    {
        if (_disposed || Interlocked.Increment(ref _retained) > _maxRetained)
        {
            Interlocked.Decrement(ref _retained);
            return false;
        }

        _buffers.Add(buffer);
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        while (_buffers.TryTake(out var buffer))
        {
            buffer.Free();
        }
    }
}
