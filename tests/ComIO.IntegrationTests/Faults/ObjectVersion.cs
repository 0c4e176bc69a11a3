namespace ComIO.IntegrationTests.Faults;

/// <summary>One version of an object the workload wrote: its length, part sizes (one for a plain PUT) and SHA-256.</summary>
public sealed record ObjectVersion(long Length, IReadOnlyList<long> PartSizes, string Sha256)
{
    /// <summary>Bytes the engine allocates for it on the device: inline objects none, others whole blocks per part.</summary>
    public long DeviceBytes(int inlineThreshold, int blockSize) =>
        PartSizes.Count == 1 && Length <= inlineThreshold ? 0 : PartSizes.Sum(p => (p + blockSize - 1) / blockSize * blockSize);
}
