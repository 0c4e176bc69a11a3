namespace ComIO.ReplicationWorker.Copying;

/// <summary>How an object of a given size is cut into parts: equal parts of <see cref="PartSize"/>, the last one shorter.</summary>
public readonly record struct PartPlan(long ObjectSize, long PartSize)
{
    /// <summary>S3's limit on parts per upload.</summary>
    public const int MaxParts = 10_000;

    private const long MiB = 1024 * 1024;

    public int PartCount => (int)((ObjectSize + PartSize - 1) / PartSize);

    /// <summary>Byte offset of part <paramref name="partNumber"/> (1-based).</summary>
    public long Offset(int partNumber) => (partNumber - 1) * PartSize;

    public long Length(int partNumber) => Math.Min(PartSize, ObjectSize - Offset(partNumber));

    /// <summary>Parts of <paramref name="preferredPartSize"/>, enlarged (to whole MiB) if the object would need more than <see cref="MaxParts"/>.</summary>
    public static PartPlan For(long objectSize, long preferredPartSize)
    {
        var minimum = (objectSize + MaxParts - 1) / MaxParts;
        var size = minimum <= preferredPartSize ? preferredPartSize : (minimum + MiB - 1) / MiB * MiB;
        return new PartPlan(objectSize, size);
    }
}
