using ComIO.Contracts.Nodes;
using ComIO.Storage;
using ComIO.StorageNode.Endpoints;
using Xunit;

namespace ComIO.ApiService.Tests.Nodes;

public sealed class ObjectInfoMapperTests
{
    private static ObjectRecord Record(Dictionary<string, string>? system = null, ChecksumAlgorithm? algorithm = null, bool deleteMarker = false, KeyValuePair<string, string>[]? tags = null) => new()
    {
        Bucket = "b",
        Key = "k",
        Size = 3,
        ETag = "e",
        LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000),
        IsDeleteMarker = deleteMarker,
        IsLatest = true,
        ContentType = "text/plain",
        UserMetadata = new Dictionary<string, string> { ["u"] = "1" },
        SystemMetadata = system ?? [],
        ChecksumAlgorithm = algorithm,
        Checksum = algorithm is null ? null : "AAAAAA==",
        Tags = tags ?? [],
        PartCount = tags is null ? 0 : 2,
    };

    [Fact]
    public void WireName_IsTheUpperCaseS3Name_OfEveryAlgorithm_AsOneSharedString()
    {
        foreach (var algorithm in Enum.GetValues<ChecksumAlgorithm>())
        {
            var name = ObjectInfoMapper.WireName(algorithm);
            Assert.Equal(algorithm.ToString().ToUpperInvariant(), name);
            Assert.Same(name, ObjectInfoMapper.WireName(algorithm));
            Assert.Contains(name, ChecksumAlgorithmNames.All);
        }

        Assert.Null(ObjectInfoMapper.WireName(null));
        Assert.Throws<ArgumentOutOfRangeException>(() => ObjectInfoMapper.WireName((ChecksumAlgorithm)99));
    }

    [Fact]
    public void ToListEntry_KeepsOnlyTheNamedSystemEntry_SharingAOneEntryMap()
    {
        var alone = new Dictionary<string, string> { ["acl"] = "owner" };
        var shared = Record(alone).ToListEntry("acl");
        Assert.Same(alone, shared.SystemMetadata);

        var copied = Record(new Dictionary<string, string> { ["acl"] = "owner", ["sse"] = "AES256" }).ToListEntry("acl");
        Assert.Equal([new KeyValuePair<string, string>("acl", "owner")], copied.SystemMetadata);

        Assert.Same(ObjectInfo.NoMetadata, Record(new Dictionary<string, string> { ["sse"] = "AES256" }).ToListEntry("acl").SystemMetadata);
        Assert.Same(ObjectInfo.NoMetadata, Record(alone).ToListEntry(null).SystemMetadata);
        Assert.Same(ObjectInfo.NoMetadata, Record(alone).ToListEntry("ac").SystemMetadata);
    }

    [Fact]
    public void ToListEntry_CarriesWhatAListingShows_AndNoVersionOrMetadataOrTags()
    {
        var entry = Record(algorithm: ChecksumAlgorithm.Crc64Nvme, deleteMarker: true).ToListEntry(null);

        Assert.Equal(("b", "k", 3L, "e", "CRC64NVME"), (entry.Bucket, entry.Key, entry.Size, entry.ETag, entry.ChecksumAlgorithm));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), entry.LastModified);
        Assert.Equal(("null", false, false), (entry.VersionId, entry.IsDeleteMarker, entry.IsLatest));
        Assert.Null(entry.ContentType);
        Assert.Null(entry.Checksum);
        Assert.Empty(entry.UserMetadata);
        Assert.Empty(entry.Tags);

        var version = Record(algorithm: ChecksumAlgorithm.Sha1, deleteMarker: true).ToVersionListEntry(null);
        Assert.Equal(("null", true, true, "SHA1"), (version.VersionId, version.IsDeleteMarker, version.IsLatest, version.ChecksumAlgorithm));
    }

    [Fact]
    public void ToInfo_CarriesEveryField_AndTheRecordsMaps()
    {
        var record = Record(new Dictionary<string, string> { ["acl"] = "owner" }, ChecksumAlgorithm.Crc32C, tags: [new("t", "v")]);

        var info = record.ToInfo();

        Assert.Equal(("text/plain", "CRC32C", "AAAAAA==", 2), (info.ContentType, info.ChecksumAlgorithm, info.Checksum, info.PartCount));
        Assert.Equal(record.UserMetadata, info.UserMetadata);
        Assert.Equal(record.SystemMetadata, info.SystemMetadata);
        Assert.Equal([new ObjectTag("t", "v")], info.Tags);
        Assert.Empty(Record().ToInfo().Tags);
    }
}
