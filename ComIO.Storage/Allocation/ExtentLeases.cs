namespace ComIO.Storage.Allocation;

/// <summary>
/// Keeps extents of replaced or deleted objects out of the allocator while readers still stream them.
/// A lease is keyed by the offset of an object's first extent (unique among live objects). Thread-safe.
/// </summary>
internal sealed class ExtentLeases(ExtentAllocator allocator)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, int> _counts = [];
    private readonly Dictionary<long, Extent[]> _deferred = [];

    public int DeferredCount
    {
        get { lock (_lock) { return _deferred.Count; } }
    }

    public void Acquire(long key)
    {
        lock (_lock)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }
    }

    public void Release(long key)
    {
        Extent[]? toFree = null;
        lock (_lock)
        {
            var count = _counts[key] - 1;
            if (count > 0)
            {
                _counts[key] = count;
                return;
            }

            _counts.Remove(key);
            if (_deferred.Remove(key, out var extents))
            {
                toFree = extents;
            }
        }

        if (toFree is not null)
        {
            allocator.Free(toFree);
        }
    }

    /// <summary>Frees <paramref name="extents"/> now, or when the last reader of them releases its lease.</summary>
    public void FreeWhenUnleased(Extent[] extents)
    {
        if (extents.Length == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_counts.ContainsKey(extents[0].Offset))
            {
                _deferred[extents[0].Offset] = extents;
                return;
            }
        }

        allocator.Free(extents);
    }
}
