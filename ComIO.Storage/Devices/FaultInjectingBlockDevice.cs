namespace ComIO.Storage.Devices;

/// <summary>
/// Wraps another device and injects faults on a test-controlled schedule. It models a volatile write cache: blocks
/// written since the last successful flush can be rolled back to their previous contents by <see cref="SimulateCrash"/>.
/// Schedules count operations from the moment they are armed ("fail the write after <c>n</c> more succeed").
/// Disposing does not dispose the inner device (so an engine can be reopened on it). Thread-safe.
/// </summary>
public sealed class FaultInjectingBlockDevice : IBlockDevice
{
    private readonly IBlockDevice _inner;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, byte[]> _unflushedPreImages = [];
    private int _writesUntilFailure = -1;
    private int _writesUntilTear = -1;
    private int _tornBlocks;
    private int _flushesUntilFailure = -1;
    private bool _flushFailurePersists;
    private int _readsUntilFailure = -1;
    private bool _crashed;

    public FaultInjectingBlockDevice(IBlockDevice inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    public string Path => _inner.Path;

    public int BlockSize => _inner.BlockSize;

    public long Capacity => _inner.Capacity;

    /// <summary>The wrapped device.</summary>
    public IBlockDevice Inner => _inner;

    /// <summary>When true, flushes report success but leave writes volatile (a lying write cache).</summary>
    public bool DropFlushes { get; set; }

    /// <summary>When true, every operation throws <see cref="IOException"/> (the device is "dead") until <see cref="SimulateCrash"/>.</summary>
    public bool IsCrashed
    {
        get { lock (_lock) { return _crashed; } }
    }

    public int WriteCount { get; private set; }

    public int FlushCount { get; private set; }

    public int ReadCount { get; private set; }

    /// <summary>The write after <paramref name="successfulWrites"/> more successful writes throws without writing anything.</summary>
    public void FailWriteAfter(int successfulWrites)
    {
        lock (_lock) { _writesUntilFailure = successfulWrites; }
    }

    /// <summary>
    /// The write after <paramref name="successfulWrites"/> more writes persists only its first <paramref name="blocksWritten"/>
    /// blocks, then the device crashes (all later operations throw until <see cref="SimulateCrash"/>).
    /// </summary>
    public void TearWriteAfter(int successfulWrites, int blocksWritten)
    {
        lock (_lock)
        {
            _writesUntilTear = successfulWrites;
            _tornBlocks = blocksWritten;
        }
    }

    /// <summary>
    /// The flush after <paramref name="successfulFlushes"/> more flushes throws. When <paramref name="persistBeforeFailing"/>
    /// is true the data is flushed first (a crash right after the flush); otherwise nothing is flushed.
    /// </summary>
    public void FailFlushAfter(int successfulFlushes, bool persistBeforeFailing = false)
    {
        lock (_lock)
        {
            _flushesUntilFailure = successfulFlushes;
            _flushFailurePersists = persistBeforeFailing;
        }
    }

    /// <summary>The read after <paramref name="successfulReads"/> more successful reads throws.</summary>
    public void FailReadAfter(int successfulReads)
    {
        lock (_lock) { _readsUntilFailure = successfulReads; }
    }

    /// <summary>Marks the device crashed: every operation throws until <see cref="SimulateCrash"/>.</summary>
    public void Crash()
    {
        lock (_lock) { _crashed = true; }
    }

    /// <summary>Clears every armed schedule.</summary>
    public void ClearFaults()
    {
        lock (_lock)
        {
            _writesUntilFailure = _writesUntilTear = _flushesUntilFailure = _readsUntilFailure = -1;
            DropFlushes = false;
        }
    }

    /// <summary>
    /// Power loss: every block written since the last successful flush reverts to its previous contents, all schedules
    /// are cleared and the device works again (as after a reboot).
    /// </summary>
    public void SimulateCrash() => SimulateCrash(null);

    /// <summary>
    /// Power loss where the cache had already written back an arbitrary subset of the unflushed blocks: each one
    /// independently keeps its new contents or reverts (decided by <paramref name="random"/>; null reverts all).
    /// </summary>
    public void SimulateCrash(Random? random)
    {
        lock (_lock)
        {
            using var buffer = AlignedBuffer.Allocate(BlockSize, BlockSize);
            foreach (var (offset, preImage) in _unflushedPreImages)
            {
                if (random is not null && random.Next(2) == 0)
                {
                    continue;
                }

                preImage.CopyTo(buffer.Span);
                _inner.WriteAsync(offset, buffer.Memory).AsTask().GetAwaiter().GetResult();
            }

            _unflushedPreImages.Clear();
            _crashed = false;
        }

        ClearFaults();
    }

    /// <summary>XORs <paramref name="mask"/> into the byte at <paramref name="offset"/> on the inner device (bit rot).</summary>
    public void FlipBits(long offset, byte mask = 0x01)
    {
        lock (_lock)
        {
            var blockOffset = offset / BlockSize * BlockSize;
            using var buffer = AlignedBuffer.Allocate(BlockSize, BlockSize);
            _inner.ReadAsync(blockOffset, buffer.Memory).AsTask().GetAwaiter().GetResult();
            buffer.Span[(int)(offset - blockOffset)] ^= mask;
            _inner.WriteAsync(blockOffset, buffer.Memory).AsTask().GetAwaiter().GetResult();
        }
    }

    public async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BlockDeviceGuard.ValidateIo(this, offset, buffer);
        int blocksToWrite;
        bool fail;
        lock (_lock)
        {
            ThrowIfCrashed();
            WriteCount++;
            blocksToWrite = buffer.Length / BlockSize;
            fail = false;
            if (_writesUntilFailure >= 0 && _writesUntilFailure-- == 0)
            {
                blocksToWrite = 0;
                fail = true;
            }
            else if (_writesUntilTear >= 0 && _writesUntilTear-- == 0)
            {
                blocksToWrite = Math.Min(blocksToWrite, _tornBlocks);
                fail = true;
                _crashed = true;
            }

            if (blocksToWrite > 0)
            {
                CapturePreImages(offset, blocksToWrite);
            }
        }

        if (blocksToWrite > 0)
        {
            await _inner.WriteAsync(offset, buffer[..(blocksToWrite * BlockSize)], cancellationToken).ConfigureAwait(false);
        }

        if (fail)
        {
            throw new IOException($"Injected write failure at offset {offset} on '{Path}' ({blocksToWrite} blocks written).");
        }
    }

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ThrowIfCrashed();
            ReadCount++;
            if (_readsUntilFailure >= 0 && _readsUntilFailure-- == 0)
            {
                throw new IOException($"Injected read failure at offset {offset} on '{Path}'.");
            }
        }

        await _inner.ReadAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        bool fail;
        bool persist;
        lock (_lock)
        {
            ThrowIfCrashed();
            FlushCount++;
            fail = _flushesUntilFailure >= 0 && _flushesUntilFailure-- == 0;
            persist = (!fail || _flushFailurePersists) && !DropFlushes;
        }

        if (persist)
        {
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                _unflushedPreImages.Clear();
            }
        }

        if (fail)
        {
            throw new IOException($"Injected flush failure on '{Path}' (data {(persist ? "was" : "was not")} flushed).");
        }
    }

    public void Dispose()
    {
    }

    private void CapturePreImages(long offset, int blocks)
    {
        using var buffer = AlignedBuffer.Allocate(blocks * BlockSize, BlockSize);
        _inner.ReadAsync(offset, buffer.Memory).AsTask().GetAwaiter().GetResult();
        for (var i = 0; i < blocks; i++)
        {
            var blockOffset = offset + ((long)i * BlockSize);
            if (!_unflushedPreImages.ContainsKey(blockOffset))
            {
                _unflushedPreImages[blockOffset] = buffer.Span.Slice(i * BlockSize, BlockSize).ToArray();
            }
        }
    }

    private void ThrowIfCrashed()
    {
        if (_crashed)
        {
            throw new IOException($"Device '{Path}' has crashed (injected).");
        }
    }
}
