namespace ComIO.Bench.S3;

/// <summary>
/// One measured cell: operation count, bytes moved, wall seconds, process CPU seconds, latency percentiles, and the bytes
/// the whole process allocated on the managed heap meanwhile (generator and servers alike), and the thread-pool work items
/// it ran meanwhile (each is a hand-off from one thread to another: a socket or device completion, a queued continuation).
/// </summary>
internal sealed record CellResult(long Operations, long Bytes, double Seconds, double CpuSeconds, double P50Ms, double P99Ms, long AllocatedBytes = 0, long ThreadPoolItems = 0)
{
    public double OpsPerSecond => Operations / Seconds;

    public double MegabytesPerSecond => Bytes / Seconds / 1e6;

    public double CpuMicrosecondsPerOperation => Operations == 0 ? 0 : CpuSeconds * 1e6 / Operations;

    public double AllocatedBytesPerOperation => Operations == 0 ? 0 : (double)AllocatedBytes / Operations;

    public double ThreadPoolItemsPerOperation => Operations == 0 ? 0 : (double)ThreadPoolItems / Operations;

    /// <summary>Adds the figures to <paramref name="result"/>.</summary>
    public BenchResult AddTo(BenchResult result)
    {
        result.Add("ops", Operations);
        result.Add("bytes", Bytes);
        result.Add("seconds", Seconds);
        result.Add("ops_s", OpsPerSecond);
        result.Add("mb_s", MegabytesPerSecond);
        result.Add("p50_ms", P50Ms);
        result.Add("p99_ms", P99Ms);
        result.Add("cpu_us_per_op", CpuMicrosecondsPerOperation);
        result.Add("cpu_cores_used", CpuSeconds / Seconds);
        result.Add("alloc_bytes_per_op", AllocatedBytesPerOperation);
        result.Add("pool_items_per_op", ThreadPoolItemsPerOperation);
        return result;
    }
}
