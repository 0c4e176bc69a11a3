using ComIO.Storage.Allocation;
using ComIO.Storage.Metadata;

namespace ComIO.Storage.Tests;

public sealed class RecordSerializerTests
{
    private static ObjectRecord Sample(byte[]? inline) => new()
    {
        Bucket = "bucket",
        Key = "a/ключ",
        Size = inline?.Length ?? 200_000,
        ETag = "0123456789abcdef0123456789abcdef",
        LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123),
        ContentType = "application/octet-stream",
        UserMetadata = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" },
        SystemMetadata = new Dictionary<string, string> { ["cache-control"] = "no-cache" },
        ChecksumAlgorithm = ChecksumAlgorithm.Crc64Nvme,
        Checksum = "rosUhgp5mIg=",
        Extents = inline is null ? [new Extent(4096, 131072), new Extent(1_048_576, 69632)] : [],
        ChunkSize = inline is null ? 65536 : 0,
        ChunkCrcs = inline is null ? [1, 2, 3, 0xFFFFFFFF] : [],
        InlineData = inline,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DeserializeObject_RoundTripsEveryField_ForInlineAndExtentRecords(bool inline)
    {
        var record = Sample(inline ? [1, 2, 3] : null);
        var copy = RecordSerializer.DeserializeObject("bucket", "a/ключ", RecordSerializer.SerializeObject(record));
        Assert.Equal(record.Size, copy.Size);
        Assert.Equal(record.ETag, copy.ETag);
        Assert.Equal(record.LastModified, copy.LastModified);
        Assert.Equal(record.ContentType, copy.ContentType);
        Assert.Equal(record.UserMetadata, copy.UserMetadata);
        Assert.Equal(record.SystemMetadata, copy.SystemMetadata);
        Assert.Equal(record.ChecksumAlgorithm, copy.ChecksumAlgorithm);
        Assert.Equal(record.Checksum, copy.Checksum);
        Assert.Equal(record.Extents, copy.Extents);
        Assert.Equal(record.ChunkSize, copy.ChunkSize);
        Assert.Equal(record.ChunkCrcs, copy.ChunkCrcs);
        Assert.Equal(record.InlineData, copy.InlineData);
    }

    [Fact]
    public void SerializeObject_ProducesGoldenBytes_ForFixedRecord()
    {
        var bytes = RecordSerializer.SerializeObject(Sample([0xAB]));

        // If this fails the metadata format changed: bump the record version and keep reading the old one.
        Assert.Equal(
            "0101000000000000007BE897B69A0100002000000030313233343536373839616263646566303132333435363738396162636465661800"
            + "00006170706C69636174696F6E2F6F637465742D73747265616D030C000000726F7355686770356D49673D020000000100000061010000"
            + "003101000000620100000032010000000D00000063616368652D636F6E74726F6C080000006E6F2D636163686500000000000000000000"
            + "000001000000AB",
            Convert.ToHexString(bytes[..^4]));
    }

    [Fact]
    public void DeserializeObject_ThrowsInvalidData_WhenAnyByteIsCorrupted()
    {
        var bytes = RecordSerializer.SerializeObject(Sample(null));
        for (var i = 0; i < bytes.Length; i += 7)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => RecordSerializer.DeserializeObject("b", "k", copy));
        }

        for (var length = 0; length < bytes.Length; length += 5)
        {
            Assert.Throws<InvalidDataException>(() => RecordSerializer.DeserializeObject("b", "k", bytes.AsSpan(0, length)));
        }
    }
}
