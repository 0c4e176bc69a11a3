namespace ComIO.Contracts.Nodes;

/// <summary>
/// The S3 names of the additional checksum algorithms (<c>x-amz-checksum-*</c>, <c>ChecksumAlgorithm</c>), as they
/// cross the internal API. Readers of node answers return these instances for these names instead of new strings.
/// </summary>
public static class ChecksumAlgorithmNames
{
    public const string Crc32 = "CRC32";
    public const string Crc32C = "CRC32C";
    public const string Crc64Nvme = "CRC64NVME";
    public const string Sha1 = "SHA1";
    public const string Sha256 = "SHA256";

    /// <summary>Every algorithm S3 accepts (the suffixes of its <c>x-amz-checksum-*</c> headers), in the order S3 documents them.</summary>
    public static readonly string[] All = [Crc32, Crc32C, Crc64Nvme, Sha1, Sha256];
}
