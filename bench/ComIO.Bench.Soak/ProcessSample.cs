namespace ComIO.Bench.Soak;

/// <summary>One 10-second sample of a service process (sizes in bytes; -1 when unavailable).</summary>
internal readonly record struct ProcessSample(
    double ElapsedSeconds, long RssBytes, int OpenFds, int Threads, long GcHeapBytes, long GcCommittedBytes, long Gen2Collections);
