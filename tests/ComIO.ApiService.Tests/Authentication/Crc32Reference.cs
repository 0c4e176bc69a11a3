using Xunit;


namespace ComIO.ApiService.Tests.Authentication;

/// <summary>Bitwise CRC-32 (IEEE, reflected 0xEDB88320) to check the SDK's x-amz-checksum-crc32 trailer independently.</summary>
internal static class Crc32Reference
{
    public static string Base64(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        crc ^= 0xFFFFFFFFu;
        return Convert.ToBase64String([(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc]);
    }
}
