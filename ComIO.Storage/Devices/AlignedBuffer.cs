using System.Buffers;
using System.Runtime.InteropServices;

namespace ComIO.Storage.Devices;

/// <summary>
/// Native memory aligned to <see cref="Alignment"/>, exposed as <see cref="Memory{T}"/>, suitable for O_DIRECT I/O.
/// Ownership: the renter owns the buffer until <see cref="IDisposable.Dispose"/>, which returns it to its pool (or frees
/// it); the memory must not be used afterwards. Not thread-safe; memory is not zeroed on rent.
/// </summary>
public sealed unsafe class AlignedBuffer : MemoryManager<byte>
{
    private readonly AlignedBufferPool? _pool;
    private byte* _pointer;
    private int _rented;

    internal AlignedBuffer(int length, int alignment, AlignedBufferPool? pool, bool clear = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Length = length;
        Alignment = alignment;
        _pool = pool;
        _pointer = (byte*)NativeMemory.AlignedAlloc((nuint)length, (nuint)alignment);
        if (clear)
        {
            NativeMemory.Clear(_pointer, (nuint)length);
        }
    }

    /// <summary>Length of the buffer in bytes.</summary>
    public int Length { get; }

    /// <summary>Alignment of the buffer start in bytes.</summary>
    public int Alignment { get; }

    /// <summary>Allocates an unpooled aligned buffer, zero-filled.</summary>
    public static AlignedBuffer Allocate(int length, int alignment = 4096) => new(length, alignment, null);

    /// <summary>The whole buffer as a span.</summary>
    public Span<byte> Span => GetSpan();

    /// <inheritdoc />
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_pointer == null, this);
        return new Span<byte>(_pointer, Length);
    }

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_pointer == null, this);
        return new MemoryHandle(_pointer + elementIndex);
    }

    /// <inheritdoc />
    public override void Unpin()
    {
    }

    /// <summary>Returns the buffer to its pool (or frees it). Idempotent.</summary>
    public void Dispose() => ((IDisposable)this).Dispose();

    internal void MarkRented() => Volatile.Write(ref _rented, 1);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_pool is not null && disposing)
        {
            // A second Dispose of a returned buffer must not free memory the pool now owns.
            if (Interlocked.Exchange(ref _rented, 0) == 0 || _pool.TryReturn(this))
            {
                return;
            }
        }

        Free();
    }

    internal void Free()
    {
        var pointer = _pointer;
        _pointer = null;
        if (pointer != null)
        {
            NativeMemory.AlignedFree(pointer);
        }
    }
}
