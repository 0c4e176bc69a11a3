namespace ComIO.Storage;

/// <summary>
/// Thrown while reading object content when a chunk's stored CRC32C does not match the bytes read from the device.
/// No byte of the failing chunk has been handed to the reader. Counted in <c>comio.storage.checksum_failures</c>.
/// </summary>
public sealed class ChecksumMismatchException : IOException
{
    public ChecksumMismatchException(string bucket, string key, long deviceOffset, int chunkIndex, uint expected, uint actual)
        : base($"Checksum mismatch in object '{bucket}/{key}', chunk {chunkIndex} at device offset {deviceOffset}: expected CRC32C {expected:x8}, computed {actual:x8}.")
    {
        Bucket = bucket;
        Key = key;
        DeviceOffset = deviceOffset;
        ChunkIndex = chunkIndex;
        ExpectedCrc = expected;
        ActualCrc = actual;
    }

    /// <summary>An encrypted chunk whose CRC32C matched but whose AES-GCM tag did not verify (tampered, or the wrong key).</summary>
    public ChecksumMismatchException(string bucket, string key, long deviceOffset, int chunkIndex)
        : base($"Authentication failed decrypting object '{bucket}/{key}', chunk {chunkIndex} at device offset {deviceOffset}: the data was altered or the key is wrong.")
    {
        Bucket = bucket;
        Key = key;
        DeviceOffset = deviceOffset;
        ChunkIndex = chunkIndex;
        IsAuthenticationFailure = true;
    }

    /// <summary>True when the AES-GCM tag of an encrypted chunk failed (see the second constructor).</summary>
    public bool IsAuthenticationFailure { get; }

    public string Bucket { get; }

    public string Key { get; }

    /// <summary>Device byte offset of the start of the failing chunk.</summary>
    public long DeviceOffset { get; }

    public int ChunkIndex { get; }

    public uint ExpectedCrc { get; }

    public uint ActualCrc { get; }
}
