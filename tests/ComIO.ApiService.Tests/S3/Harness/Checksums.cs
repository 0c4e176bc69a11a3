using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace ComIO.ApiService.Tests.S3.Harness;

/// <summary>S3 additional checksums computed independently of the product: base64 of the big-endian CRC or of the digest.</summary>
public static class Checksums
{
    public static readonly string[] Algorithms = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"];

    public static string Base64(string algorithm, byte[] data)
    {
        switch (algorithm)
        {
            case "CRC32":
            case "CRC32C":
                var crc = algorithm == "CRC32" ? Crc32.HashToUInt32(data) : new Crc32(Crc32ParameterSet.Crc32C).Let(c => c.Append(data)).GetCurrentHashAsUInt32();
                var crcBytes = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
                return Convert.ToBase64String(crcBytes);
            case "CRC64NVME":
                var crc64 = new Crc64(Crc64ParameterSet.Nvme);
                crc64.Append(data);
                var crc64Bytes = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(crc64Bytes, crc64.GetCurrentHashAsUInt64());
                return Convert.ToBase64String(crc64Bytes);
            case "SHA1":
                return Convert.ToBase64String(SHA1.HashData(data));
            case "SHA256":
                return Convert.ToBase64String(SHA256.HashData(data));
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null);
        }
    }

    private static T Let<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
