using System.Buffers;
using System.Buffers.Binary;
using ComIO.Contracts.Nodes;
using Xunit;

namespace ComIO.ApiService.Tests.Nodes;

public sealed class ObjectListPageCodecTests
{
    private static readonly ObjectInfo[] Entries =
    [
        new() { Bucket = "b", Key = "a/ü日本/🙂 key with spaces", Size = 0, ETag = "d41d8cd98f00b204e9800998ecf8427e", LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123) },
        new()
        {
            Bucket = "b", Key = "b\u0001<&>\"", Size = 5L * 1024 * 1024 * 1024, ETag = "0123456789abcdef0123456789abcdef-3",
            LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1), ChecksumAlgorithm = "CRC32C",
            SystemMetadata = new Dictionary<string, string> { ["acl"] = "{\"owner\":\"ü\"}", ["empty"] = "" },
        },
    ];

    private static byte[] Encode(IReadOnlyList<ObjectInfo> objects, bool truncated)
    {
        var output = new ArrayBufferWriter<byte>();
        ObjectListPageCodec.Write(output, objects, truncated);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_ReturnsWhatWasWritten_ForEveryField(bool truncated)
    {
        var page = ObjectListPageCodec.Read("bucket-x", Encode(Entries, truncated));

        Assert.Equal(truncated, page.IsTruncated);
        Assert.Equal(Entries.Length, page.Objects.Count);
        for (var i = 0; i < Entries.Length; i++)
        {
            var (expected, actual) = (Entries[i], page.Objects[i]);
            Assert.Equal("bucket-x", actual.Bucket);
            Assert.Equal((expected.Key, expected.Size, expected.ETag, expected.ChecksumAlgorithm), (actual.Key, actual.Size, actual.ETag, actual.ChecksumAlgorithm));
            Assert.Equal(expected.LastModified.ToUnixTimeMilliseconds(), actual.LastModified.ToUnixTimeMilliseconds());
            Assert.Equal(expected.SystemMetadata.OrderBy(p => p.Key), actual.SystemMetadata.OrderBy(p => p.Key));
            Assert.Empty(actual.UserMetadata);
        }
    }

    [Fact]
    public void Read_ReturnsTheSharedAlgorithmNames_AndTheSharedEmptyMetadata_AndAnyOtherNameAsWritten()
    {
        string?[] algorithms = [.. ChecksumAlgorithmNames.All, null, "CRC3", "CRC32CX", "crc32", "SHA25", ""];
        var objects = algorithms.Select((algorithm, i) => new ObjectInfo
        {
            Bucket = "b",
            Key = $"k{i:D2}",
            Size = i,
            ETag = "e",
            LastModified = DateTimeOffset.UnixEpoch,
            ChecksumAlgorithm = algorithm,
        }).ToList();

        var page = ObjectListPageCodec.Read("b", Encode(objects, truncated: false));

        Assert.Equal(algorithms, page.Objects.Select(o => o.ChecksumAlgorithm));
        for (var i = 0; i < ChecksumAlgorithmNames.All.Length; i++)
        {
            Assert.Same(ChecksumAlgorithmNames.All[i], page.Objects[i].ChecksumAlgorithm);
        }

        Assert.All(page.Objects, o => Assert.Same(ObjectInfo.NoMetadata, o.SystemMetadata));
        Assert.Equal(Entries[1].SystemMetadata.OrderBy(p => p.Key), ObjectListPageCodec.Read("b", Encode(Entries, truncated: false)).Objects[1].SystemMetadata.OrderBy(p => p.Key));
    }

    [Fact]
    public void Read_SharesTheMetadataMapOfConsecutiveEntriesWithTheSameMetadata_AndOnlyThen()
    {
        IReadOnlyDictionary<string, string>[] maps =
        [
            new Dictionary<string, string> { ["acl"] = "a" },
            new Dictionary<string, string> { ["acl"] = "a" },
            new Dictionary<string, string> { ["acl"] = "a" },
            ObjectInfo.NoMetadata,
            new Dictionary<string, string> { ["acl"] = "a" },
            new Dictionary<string, string> { ["acl"] = "b" },
            new Dictionary<string, string> { ["acl"] = "b", ["x"] = "" },
            new Dictionary<string, string> { ["acl"] = "b", ["x"] = "" },
            new Dictionary<string, string> { ["acm"] = "b" },
        ];
        var objects = maps.Select((map, i) => new ObjectInfo { Bucket = "b", Key = $"k{i}", Size = 1, ETag = "e", LastModified = DateTimeOffset.UnixEpoch, SystemMetadata = map }).ToList();

        var read = ObjectListPageCodec.Read("b", Encode(objects, truncated: false)).Objects;

        for (var i = 0; i < maps.Length; i++)
        {
            Assert.Equal(maps[i].OrderBy(p => p.Key), read[i].SystemMetadata.OrderBy(p => p.Key));
        }

        Assert.Same(read[0].SystemMetadata, read[1].SystemMetadata);
        Assert.Same(read[1].SystemMetadata, read[2].SystemMetadata);
        Assert.Same(read[0].SystemMetadata, read[4].SystemMetadata); // the empty entry between decodes nothing
        Assert.NotSame(read[4].SystemMetadata, read[5].SystemMetadata);
        Assert.Same(read[6].SystemMetadata, read[7].SystemMetadata);
        Assert.NotSame(read[7].SystemMetadata, read[8].SystemMetadata);
    }

    [Fact]
    public void Read_RefusesANullMetadataName()
    {
        var output = new ArrayBufferWriter<byte>();
        ObjectListPageCodec.Write(output, [Entries[1]], isTruncated: false);
        var page = output.WrittenSpan.ToArray();
        var nameLength = page.AsSpan().IndexOf("acl"u8) - 4;
        Assert.True(nameLength > 0);
        var nullName = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(nullName, -1);
        byte[] bad = [.. page.AsSpan(0, nameLength), .. nullName, .. page.AsSpan(nameLength + 4 + 3)]; // the name "acl" becomes null

        var error = Assert.Throws<InvalidDataException>(() => ObjectListPageCodec.Read("b", bad));
        Assert.Contains("no name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesANegativeStringLength_InAKeyAndInMetadata()
    {
        var output = new ArrayBufferWriter<byte>();
        ObjectListPageCodec.Write(output, [Entries[1]], isTruncated: false);
        var page = output.WrittenSpan.ToArray();
        var key = (byte[])page.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(key.AsSpan(6), -2); // the key's length, after the 6-byte header
        var name = (byte[])page.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(name.AsSpan(page.AsSpan().IndexOf("acl"u8) - 4), -2); // a metadata name's, stepped over first

        foreach (var bad in new[] { key, name })
        {
            var error = Assert.Throws<InvalidDataException>(() => ObjectListPageCodec.Read("b", bad));
            Assert.Contains("negative string length", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_ReturnsAnEmptyPage_ForNoEntries()
    {
        var page = ObjectListPageCodec.Read("b", Encode([], truncated: false));

        Assert.Empty(page.Objects);
        Assert.False(page.IsTruncated);
    }

    [Fact]
    public void Read_RefusesEveryCutShortPage_WithInvalidData()
    {
        var whole = Encode(Entries, truncated: true);

        for (var length = 0; length < whole.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => ObjectListPageCodec.Read("b", whole.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Read_RefusesTrailingBytes_UnknownFormatOrFlags_AndImpossibleCounts()
    {
        var whole = Encode(Entries, truncated: false);
        var trailing = whole.Append((byte)0).ToArray();
        var format = (byte[])whole.Clone();
        format[0] = 2;
        var flags = (byte[])whole.Clone();
        flags[1] = 2;
        var count = (byte[])whole.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(count.AsSpan(2), int.MaxValue);
        var negative = (byte[])whole.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(negative.AsSpan(2), -1);

        foreach (var bad in new[] { trailing, format, flags, count, negative })
        {
            Assert.Throws<InvalidDataException>(() => ObjectListPageCodec.Read("b", bad));
        }
    }

    [Fact]
    public void Read_RefusesAKeyThatIsNotUtf8()
    {
        var page = Encode([new ObjectInfo { Bucket = "b", Key = "ab", Size = 1, ETag = "e", LastModified = DateTimeOffset.UnixEpoch }], truncated: false);
        page[6 + 4] = 0xFF; // first byte of the first key, after the 6-byte header and the key's length

        Assert.Throws<InvalidDataException>(() => ObjectListPageCodec.Read("b", page));
    }

    private static readonly ObjectInfo[] Versions =
    [
        new() { Bucket = "b", Key = "k", VersionId = "0123456789abcdef0123456789abcdef", IsLatest = true, IsDeleteMarker = true, Size = 0, ETag = "", LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_999) },
        new()
        {
            Bucket = "b", Key = "k", VersionId = "null", Size = 7, ETag = "0123456789abcdef0123456789abcdef", ChecksumAlgorithm = "SHA256",
            LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), SystemMetadata = new Dictionary<string, string> { ["acl"] = "x" },
        },
        new() { Bucket = "b", Key = "l/ü", VersionId = "fedcba9876543210fedcba9876543210", IsLatest = true, Size = 1, ETag = "e", LastModified = DateTimeOffset.UnixEpoch },
    ];

    private static byte[] EncodeVersions(IReadOnlyList<ObjectInfo> versions, bool truncated)
    {
        var output = new ArrayBufferWriter<byte>();
        ObjectListPageCodec.WriteVersions(output, versions, truncated);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadVersions_ReturnsWhatWasWritten_ForEveryField_IncludingVersionIdAndKind(bool truncated)
    {
        var page = ObjectListPageCodec.ReadVersions("bucket-x", EncodeVersions(Versions, truncated));

        Assert.Equal(truncated, page.IsTruncated);
        Assert.Equal(Versions.Length, page.Versions.Count);
        for (var i = 0; i < Versions.Length; i++)
        {
            var (expected, actual) = (Versions[i], page.Versions[i]);
            Assert.Equal("bucket-x", actual.Bucket);
            Assert.Equal((expected.Key, expected.VersionId, expected.IsLatest, expected.IsDeleteMarker), (actual.Key, actual.VersionId, actual.IsLatest, actual.IsDeleteMarker));
            Assert.Equal((expected.Size, expected.ETag, expected.ChecksumAlgorithm), (actual.Size, actual.ETag, actual.ChecksumAlgorithm));
            Assert.Equal(expected.LastModified.ToUnixTimeMilliseconds(), actual.LastModified.ToUnixTimeMilliseconds());
            Assert.Equal(expected.SystemMetadata.OrderBy(p => p.Key), actual.SystemMetadata.OrderBy(p => p.Key));
        }
    }

    [Fact]
    public void ReadVersions_RefusesEveryCutShortPage_AnObjectPage_AndAnUnknownKind()
    {
        var whole = EncodeVersions(Versions, truncated: true);
        for (var length = 0; length < whole.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => ObjectListPageCodec.ReadVersions("b", whole.AsSpan(0, length)));
        }

        var kind = (byte[])whole.Clone();
        kind[6 + 4 + 1 + 4 + 32] = 4; // after the header, the key "k" and the 32-character version id
        Assert.Throws<InvalidDataException>(() => ObjectListPageCodec.ReadVersions("b", kind));
        Assert.Throws<InvalidDataException>(() => ObjectListPageCodec.ReadVersions("b", Encode(Entries, truncated: false)));
        Assert.Throws<InvalidDataException>(() => ObjectListPageCodec.Read("b", whole));
    }
}
