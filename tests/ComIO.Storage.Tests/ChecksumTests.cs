using System.Text;
using ComIO.Storage.Checksums;

namespace ComIO.Storage.Tests;

public sealed class ChecksumTests
{
    private static readonly byte[] Check = Encoding.ASCII.GetBytes("123456789");

    [Fact]
    public void Compute_MatchesCheckValue_ForCrc32C() => Assert.Equal(0xE3069283u, Crc32C.Compute(Check));

    [Theory]
    [InlineData(ChecksumAlgorithm.Crc32, "CBF43926")]
    [InlineData(ChecksumAlgorithm.Crc32C, "E3069283")]
    [InlineData(ChecksumAlgorithm.Crc64Nvme, "AE8B14860A799888")]
    [InlineData(ChecksumAlgorithm.Sha1, "F7C3BC1D808E04732ADF679965CCC34CA7AE3441")]
    [InlineData(ChecksumAlgorithm.Sha256, "15E2B0D3C33891EBB0F1EF609EC419420C20E320CE94C65FBC8C3312448EB225")]
    public void Compute_ReturnsBigEndianBase64_ForCheckString(ChecksumAlgorithm algorithm, string hex)
    {
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(hex)), ObjectChecksumHasher.Compute(algorithm, Check));
    }

    [Fact]
    public void Append_MatchesOneShotHash_WhenDataIsSplit()
    {
        using var hasher = new ObjectChecksumHasher(ChecksumAlgorithm.Crc64Nvme);
        hasher.Append(Check.AsSpan(0, 4));
        hasher.Append(Check.AsSpan(4));
        Assert.Equal(ObjectChecksumHasher.Compute(ChecksumAlgorithm.Crc64Nvme, Check), hasher.GetBase64());
    }
}
