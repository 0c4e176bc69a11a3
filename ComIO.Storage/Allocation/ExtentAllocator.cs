namespace ComIO.Storage.Allocation;

/// <summary>
/// In-memory free-extent allocator over the byte range <c>[start, end)</c> in units of <c>blockSize</c>.
/// Free space is kept as coalesced extents indexed by offset and by (length, offset); allocation is best-fit for a
/// single extent, falling back to the largest free extents first so a large object lands in few extents.
/// The allocator is not persisted: <see cref="Rebuild"/> derives it from the extents referenced by committed metadata.
/// Thread-safe.
/// </summary>
public sealed class ExtentAllocator
{
    private readonly Lock _lock = new();
    private readonly SortedSet<Extent> _byOffset = new(Comparer<Extent>.Create(static (a, b) => a.Offset.CompareTo(b.Offset)));
    private readonly SortedSet<Extent> _bySize = new(Comparer<Extent>.Create(static (a, b) =>
    {
        var c = a.Length.CompareTo(b.Length);
        return c != 0 ? c : a.Offset.CompareTo(b.Offset);
    }));

    private long _freeBytes;

    public ExtentAllocator(long start, long end, int blockSize)
    {
        if (blockSize <= 0 || start < 0 || end < start || start % blockSize != 0 || end % blockSize != 0)
        {
            throw new ArgumentException($"Invalid allocator range [{start}, {end}) for block size {blockSize}.");
        }

        Start = start;
        End = end;
        BlockSize = blockSize;
        if (end > start)
        {
            AddFree(new Extent(start, end - start));
        }
    }

    public long Start { get; }

    public long End { get; }

    public int BlockSize { get; }

    /// <summary>Total bytes managed.</summary>
    public long Capacity => End - Start;

    public long FreeBytes
    {
        get { lock (_lock) { return _freeBytes; } }
    }

    public long UsedBytes => Capacity - FreeBytes;

    /// <summary>Number of free extents (a fragmentation indicator).</summary>
    public int FreeExtentCount
    {
        get { lock (_lock) { return _byOffset.Count; } }
    }

    /// <summary>
    /// Builds an allocator whose free space is everything in <c>[start, end)</c> not covered by <paramref name="used"/>.
    /// Throws <see cref="InvalidDataException"/> if used extents overlap, are misaligned or fall outside the range.
    /// </summary>
    public static ExtentAllocator Rebuild(long start, long end, int blockSize, IEnumerable<Extent> used)
    {
        ArgumentNullException.ThrowIfNull(used);
        var sorted = used.Where(static e => e.Length > 0).OrderBy(static e => e.Offset).ToList();
        var result = new ExtentAllocator(start, end, blockSize);
        result._byOffset.Clear();
        result._bySize.Clear();
        result._freeBytes = 0;
        var cursor = start;
        foreach (var extent in sorted)
        {
            if (extent.Offset % blockSize != 0 || extent.Length % blockSize != 0 || extent.Offset < cursor || extent.End > end)
            {
                throw new InvalidDataException($"Extent {extent} overlaps another extent, is misaligned or lies outside [{start}, {end}).");
            }

            if (extent.Offset > cursor)
            {
                result.AddFree(new Extent(cursor, extent.Offset - cursor));
            }

            cursor = extent.End;
        }

        if (end > cursor)
        {
            result.AddFree(new Extent(cursor, end - cursor));
        }

        return result;
    }

    /// <summary>
    /// Reserves at least <paramref name="bytes"/> (rounded up to the block size) as one or more extents, in the order
    /// the data should be laid out. Returns false, reserving nothing, if there is not enough free space or it would
    /// need more than <paramref name="maxExtents"/> extents.
    /// </summary>
    public bool TryAllocate(long bytes, out Extent[] extents, int maxExtents = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var needed = (bytes + BlockSize - 1) / BlockSize * BlockSize;
        lock (_lock)
        {
            if (needed > _freeBytes)
            {
                extents = [];
                return false;
            }

            // Best fit: the smallest free extent that holds everything.
            var probe = new Extent(-1, needed);
            var view = _bySize.GetViewBetween(probe, new Extent(long.MaxValue, long.MaxValue));
            var fit = view.Min;
            if (fit.Length > 0)
            {
                RemoveFree(fit);
                if (fit.Length > needed)
                {
                    AddFree(new Extent(fit.Offset + needed, fit.Length - needed));
                }

                extents = [new Extent(fit.Offset, needed)];
                return true;
            }

            // Otherwise take the largest free extents first; the last one is split.
            var taken = new List<Extent>();
            var remaining = needed;
            foreach (var free in _bySize.Reverse())
            {
                if (remaining == 0)
                {
                    break;
                }

                if (taken.Count == maxExtents)
                {
                    extents = [];
                    return false;
                }

                taken.Add(free.Length <= remaining ? free : new Extent(free.Offset, remaining));
                remaining -= Math.Min(remaining, free.Length);
            }

            foreach (var extent in taken)
            {
                var free = FindFreeAt(extent.Offset);
                RemoveFree(free);
                if (free.Length > extent.Length)
                {
                    AddFree(new Extent(free.Offset + extent.Length, free.Length - extent.Length));
                }
            }

            taken.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
            extents = [.. taken];
            return true;
        }
    }

    /// <summary>Returns extents to free space, coalescing with neighbours. Freeing space that is already free throws.</summary>
    public void Free(IEnumerable<Extent> extents)
    {
        ArgumentNullException.ThrowIfNull(extents);
        lock (_lock)
        {
            foreach (var extent in extents)
            {
                FreeOne(extent);
            }
        }
    }

    /// <summary>Returns one extent to free space.</summary>
    public void Free(Extent extent)
    {
        lock (_lock)
        {
            FreeOne(extent);
        }
    }

    /// <summary>A snapshot of the free extents in offset order.</summary>
    public IReadOnlyList<Extent> GetFreeExtents()
    {
        lock (_lock)
        {
            return [.. _byOffset];
        }
    }

    private void FreeOne(Extent extent)
    {
        if (extent.Length <= 0 || extent.Offset < Start || extent.End > End || extent.Offset % BlockSize != 0 || extent.Length % BlockSize != 0)
        {
            throw new ArgumentException($"Extent {extent} is not a valid allocation in [{Start}, {End}).", nameof(extent));
        }

        var merged = extent;
        var before = _byOffset.GetViewBetween(new Extent(long.MinValue, 0), new Extent(extent.Offset, 0));
        var previous = before.Max;
        if (previous.Length > 0)
        {
            if (previous.End > extent.Offset)
            {
                throw new InvalidOperationException($"Double free: extent {extent} overlaps free extent {previous}.");
            }

            if (previous.End == extent.Offset)
            {
                RemoveFree(previous);
                merged = new Extent(previous.Offset, previous.Length + merged.Length);
            }
        }

        var after = _byOffset.GetViewBetween(new Extent(extent.Offset, 0), new Extent(long.MaxValue, 0));
        var next = after.Min;
        if (next.Length > 0)
        {
            if (next.Offset < extent.End)
            {
                throw new InvalidOperationException($"Double free: extent {extent} overlaps free extent {next}.");
            }

            if (next.Offset == extent.End)
            {
                RemoveFree(next);
                merged = new Extent(merged.Offset, merged.Length + next.Length);
            }
        }

        AddFree(merged);
    }

    private Extent FindFreeAt(long offset)
    {
        _byOffset.TryGetValue(new Extent(offset, 0), out var actual);
        return actual;
    }

    private void AddFree(Extent extent)
    {
        _byOffset.Add(extent);
        _bySize.Add(extent);
        _freeBytes += extent.Length;
    }

    private void RemoveFree(Extent extent)
    {
        _byOffset.Remove(extent);
        _bySize.Remove(extent);
        _freeBytes -= extent.Length;
    }
}
