namespace ComIO.Storage;

/// <summary>A chunk whose stored CRC32C did not match the device contents during a scrub.</summary>
public sealed record ScrubFinding(string Bucket, string Key, int ChunkIndex, long DeviceOffset, string Problem);
