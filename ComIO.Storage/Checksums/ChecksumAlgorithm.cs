namespace ComIO.Storage;

/// <summary>Additional whole-object checksums an S3 client may request (x-amz-checksum-*).</summary>
public enum ChecksumAlgorithm
{
    Crc32,
    Crc32C,
    Crc64Nvme,
    Sha1,
    Sha256,
}
