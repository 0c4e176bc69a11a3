namespace ComIO.Storage.Allocation;

/// <summary>A contiguous byte range on a device: <c>[Offset, Offset + Length)</c>, both multiples of the block size.</summary>
public readonly record struct Extent(long Offset, long Length)
{
    /// <summary>The exclusive end offset.</summary>
    public long End => Offset + Length;

    public override string ToString() => $"[{Offset}, {End})";
}
