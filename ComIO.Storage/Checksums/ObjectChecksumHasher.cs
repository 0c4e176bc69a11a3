using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace ComIO.Storage.Checksums;

/// <summary>
/// Incremental hasher for one <see cref="ChecksumAlgorithm"/>, producing the S3 wire form: base64 of the big-endian
/// CRC value or of the digest. Not thread-safe; dispose after use.
/// </summary>
internal sealed class ObjectChecksumHasher : IDisposable
{
    private readonly Crc32? _crc32;
    private readonly Crc64? _crc64;
    private readonly IncrementalHash? _hash;

    public ObjectChecksumHasher(ChecksumAlgorithm algorithm)
    {
        Algorithm = algorithm;
        switch (algorithm)
        {
            case ChecksumAlgorithm.Crc32:
                _crc32 = new Crc32(Crc32ParameterSet.Crc32);
                break;
            case ChecksumAlgorithm.Crc32C:
                _crc32 = new Crc32(Crc32ParameterSet.Crc32C);
                break;
            case ChecksumAlgorithm.Crc64Nvme:
                _crc64 = new Crc64(Crc64ParameterSet.Nvme);
                break;
            case ChecksumAlgorithm.Sha1:
                _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
                break;
            case ChecksumAlgorithm.Sha256:
                _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown checksum algorithm.");
        }
    }

    public ChecksumAlgorithm Algorithm { get; }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_crc32 is not null)
        {
            _crc32.Append(data);
        }
        else if (_crc64 is not null)
        {
            _crc64.Append(data);
        }
        else
        {
            _hash!.AppendData(data);
        }
    }

    /// <summary>The checksum in S3 form (base64).</summary>
    public string GetBase64()
    {
        if (_crc32 is not null)
        {
            Span<byte> value = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(value, _crc32.GetCurrentHashAsUInt32());
            return Convert.ToBase64String(value);
        }

        if (_crc64 is not null)
        {
            Span<byte> value = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(value, _crc64.GetCurrentHashAsUInt64());
            return Convert.ToBase64String(value);
        }

        return Convert.ToBase64String(_hash!.GetHashAndReset());
    }

    /// <summary>One-shot helper.</summary>
    public static string Compute(ChecksumAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        using var hasher = new ObjectChecksumHasher(algorithm);
        hasher.Append(data);
        return hasher.GetBase64();
    }

    public void Dispose() => _hash?.Dispose();
}
