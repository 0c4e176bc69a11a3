using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Protocol.Bodies;

/// <summary>
/// Incremental S3 additional checksum (CRC32, CRC32C, CRC64NVME, SHA1, SHA256) in its wire form: base64 of the
/// big-endian CRC or of the digest. Not thread-safe.
/// </summary>
public sealed class PayloadChecksum : IDisposable
{
    private readonly Crc32? _crc32;
    private readonly Crc64? _crc64;
    private readonly IncrementalHash? _digest;

    public PayloadChecksum(string algorithm)
    {
        Algorithm = algorithm.ToUpperInvariant();
        switch (Algorithm)
        {
            case "CRC32": _crc32 = new Crc32(Crc32ParameterSet.Crc32); break;
            case "CRC32C": _crc32 = new Crc32(Crc32ParameterSet.Crc32C); break;
            case "CRC64NVME": _crc64 = new Crc64(Crc64ParameterSet.Nvme); break;
            case "SHA1": _digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA1); break;
            case "SHA256": _digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256); break;
            default: throw new S3Exception(S3ErrorCode.InvalidRequest, $"Unsupported checksum algorithm {algorithm}.");
        }
    }

    public string Algorithm { get; }

    public void Append(ReadOnlySpan<byte> data)
    {
        _crc32?.Append(data);
        _crc64?.Append(data);
        _digest?.AppendData(data);
    }

    /// <summary>The checksum of everything appended so far, base64; the hasher is reset.</summary>
    public string GetBase64()
    {
        if (_digest is not null)
        {
            return Convert.ToBase64String(_digest.GetHashAndReset());
        }

        // S3 transmits CRCs big-endian; take the numeric value so the library's byte order does not matter.
        if (_crc32 is not null)
        {
            Span<byte> crc32 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc32, _crc32.GetCurrentHashAsUInt32());
            _crc32.Reset();
            return Convert.ToBase64String(crc32);
        }

        Span<byte> crc64 = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(crc64, _crc64!.GetCurrentHashAsUInt64());
        _crc64.Reset();
        return Convert.ToBase64String(crc64);
    }

    /// <summary>True when <paramref name="expectedBase64"/> is the checksum of <paramref name="data"/>.</summary>
    public static bool Matches(string algorithm, ReadOnlySpan<byte> data, string expectedBase64)
    {
        using var checksum = new PayloadChecksum(algorithm);
        checksum.Append(data);
        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(checksum.GetBase64()),
            System.Text.Encoding.ASCII.GetBytes(expectedBase64.Trim()));
    }

    public void Dispose() => _digest?.Dispose();
}
