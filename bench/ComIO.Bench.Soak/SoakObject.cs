namespace ComIO.Bench.Soak;

/// <summary>What a soak client wrote under a key: the content seed, the size and the ETag the server returned.</summary>
internal readonly record struct SoakObject(ulong Seed, long Size, string ETag);
