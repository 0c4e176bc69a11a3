namespace ComIO.Storage.Devices;

/// <summary>
/// A block-addressed storage device.
/// Contract: every <c>offset</c> and buffer length must be a multiple of <see cref="BlockSize"/>, the buffer memory
/// must be aligned to <see cref="BlockSize"/> (rent it from <see cref="AlignedBufferPool"/>), and the range must lie
/// within <see cref="Capacity"/>; violations throw <see cref="ArgumentException"/>.
/// A completed write is not durable until a later <see cref="FlushAsync"/> completes.
/// Implementations are safe for concurrent reads and writes to disjoint ranges; the caller owns the buffers for the
/// duration of each call.
/// </summary>
public interface IBlockDevice : IDisposable
{
    /// <summary>The device path (file image, block device, or a descriptive name for in-memory devices).</summary>
    string Path { get; }

    /// <summary>Logical block size in bytes: a power of two, at least 512.</summary>
    int BlockSize { get; }

    /// <summary>Usable size in bytes; a multiple of <see cref="BlockSize"/>.</summary>
    long Capacity { get; }

    /// <summary>Writes <paramref name="buffer"/> at <paramref name="offset"/>. Not durable until flushed.</summary>
    ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Reads exactly <c>buffer.Length</c> bytes at <paramref name="offset"/>.</summary>
    ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Makes every write completed before this call durable.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}
