using ComIO.Storage.Allocation;
using ComIO.Storage.Metadata;
using ComIO.Storage.Objects;

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

    private static ObjectRecord SegmentedSample() => new()
    {
        Bucket = "bucket",
        Key = "k",
        Size = 5010,
        ETag = "0123456789abcdef0123456789abcdef-2",
        LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123),
        ContentType = "text/plain",
        UserMetadata = new Dictionary<string, string> { ["a"] = "1" },
        PartCount = 2,
        Extents = [new Extent(8192, 8192), new Extent(65536, 4096)],
        Segments =
        [
            new DataSegment { Length = 5000, ChunkSize = 4096, Extents = [new Extent(8192, 8192)], ChunkCrcs = [1, 2] },
            new DataSegment { Length = 10, ChunkSize = 4096, Extents = [new Extent(65536, 4096)], ChunkCrcs = [0xFFFFFFFF] },
        ],
    };

    [Fact]
    public void SerializeObject_ProducesGoldenBytes_ForSegmentedRecordV2()
    {
        var bytes = RecordSerializer.SerializeObject(SegmentedSample());

        // If this fails the v2 (multipart) format changed: bump the record version and keep reading the old one.
        Assert.Equal(
            "0292130000000000007BE897B69A0100002200000030313233343536373839616263646566303132333435363738396162636465662D32"
            + "0A000000746578742F706C61696E00FFFFFFFF010000000100000061010000003100000000020000008813000000000000001000000100"
            + "0000002000000000000000200000000000000200000001000000020000000A000000000000000010000001000000000001000000000000"
            + "1000000000000001000000FFFFFFFF",
            Convert.ToHexString(bytes[..^4]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DeserializeObject_RoundTripsSegments_ForV2Records(bool includeData)
    {
        var record = SegmentedSample();
        var copy = RecordSerializer.DeserializeObject("bucket", "k", RecordSerializer.SerializeObject(record), includeData);
        Assert.Equal(2, copy.PartCount);
        Assert.True(copy.IsSegmented);
        Assert.Equal(record.Size, copy.Size);
        Assert.Equal(record.ETag, copy.ETag);
        Assert.Equal(record.ContentType, copy.ContentType);
        Assert.Null(copy.ChecksumAlgorithm);
        Assert.Equal(record.UserMetadata, copy.UserMetadata);
        Assert.Equal(record.Extents, copy.Extents);
        Assert.Equal(2, copy.Segments.Length);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(record.Segments[i].Length, copy.Segments[i].Length);
            Assert.Equal(record.Segments[i].ChunkSize, copy.Segments[i].ChunkSize);
            Assert.Equal(record.Segments[i].Extents, copy.Segments[i].Extents);
            Assert.Equal(includeData ? record.Segments[i].ChunkCrcs : [], copy.Segments[i].ChunkCrcs);
        }

        // Object offsets map through the segment that holds them: part 2 starts at its own extent.
        Assert.Equal(8192 + 4999, copy.MapToDevice(4999, out _));
        Assert.Equal(65536 + 3, copy.MapToDevice(5003, out _));
    }

    [Fact]
    public void DeserializeObject_ThrowsInvalidData_WhenAnyByteOfV2RecordIsCorrupted()
    {
        var bytes = RecordSerializer.SerializeObject(SegmentedSample());
        for (var i = 0; i < bytes.Length; i += 3)
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

    private static ObjectRecord WithListingMetadata(ObjectRecord record) => record.WithSystemMetadata(new Dictionary<string, string?>
    {
        ["acl"] = "{\"Owner\":\"ключ-owner\"}",
        ["ac"] = "prefix of the wanted name",
        ["acl-x"] = "wanted name is its prefix",
        ["replication-status"] = "PENDING",
    }).WithVersion("Uzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz0", isNull: false);

    public static TheoryData<string> ListedShapes => ["inline", "extents", "segmented"];

    private static ObjectRecord ListedSample(string shape) => WithListingMetadata(shape switch
    {
        "inline" => Sample([1, 2, 3]),
        "extents" => Sample(null),
        _ => SegmentedSample(),
    });

    [Theory]
    [MemberData(nameof(ListedShapes))]
    public void DeserializeListed_KeepsWhatAListingShows_AndOnlyTheNamedSystemEntry(string shape)
    {
        var record = ListedSample(shape);
        var bytes = RecordSerializer.SerializeObject(record);
        var full = RecordSerializer.DeserializeListed("bucket", "k", bytes, summary: null);
        var listed = RecordSerializer.DeserializeListed("bucket", "k", bytes, new ListingSummary("acl"));

        Assert.Equal(record.Size, listed.Size);
        Assert.Equal(record.ETag, listed.ETag);
        Assert.Equal(record.LastModified, listed.LastModified);
        Assert.Equal(record.ChecksumAlgorithm, listed.ChecksumAlgorithm);
        Assert.Equal(record.VersionId, listed.VersionId);
        Assert.Equal(record.IsSegmented, listed.IsSegmented);
        Assert.Equal(new Dictionary<string, string> { ["acl"] = "{\"Owner\":\"ключ-owner\"}" }, listed.SystemMetadata);
        Assert.Empty(listed.UserMetadata);
        Assert.Null(listed.ContentType);
        Assert.Null(listed.Checksum);

        // Without a summary the listing decodes every metadata field, as before.
        Assert.Equal(record.SystemMetadata, full.SystemMetadata);
        Assert.Equal(record.UserMetadata, full.UserMetadata);
        Assert.Equal(record.ContentType, full.ContentType);
        Assert.Equal(record.Checksum, full.Checksum);
    }

    [Fact]
    public void DeserializeListed_SharesTheKeptMapBetweenConsecutiveRecordsWithTheSameEntry_AndOnlyThen()
    {
        static byte[] WithAcl(string? acl) => RecordSerializer.SerializeObject(Sample(null).WithSystemMetadata(new Dictionary<string, string?> { ["acl"] = acl, ["other"] = acl + "x" }));
        var summary = new ListingSummary("acl");
        var first = RecordSerializer.DeserializeListed("b", "k1", WithAcl("owner-a"), summary);
        var same = RecordSerializer.DeserializeListed("b", "k2", WithAcl("owner-a"), summary);
        var absent = RecordSerializer.DeserializeListed("b", "k3", WithAcl(null), summary);
        var other = RecordSerializer.DeserializeListed("b", "k4", WithAcl("owner-b"), summary);
        var extended = RecordSerializer.DeserializeListed("b", "k5", WithAcl("owner-bb"), summary);
        var back = RecordSerializer.DeserializeListed("b", "k6", WithAcl("owner-b"), summary);
        var empty = RecordSerializer.DeserializeListed("b", "k7", WithAcl(""), summary);

        Assert.Same(first.SystemMetadata, same.SystemMetadata);
        Assert.Empty(absent.SystemMetadata);
        Assert.Equal([new KeyValuePair<string, string>("acl", "owner-b")], other.SystemMetadata);
        Assert.Equal([new KeyValuePair<string, string>("acl", "owner-bb")], extended.SystemMetadata);
        Assert.Equal([new KeyValuePair<string, string>("acl", "owner-b")], back.SystemMetadata);
        Assert.NotSame(other.SystemMetadata, back.SystemMetadata);
        Assert.Equal([new KeyValuePair<string, string>("acl", "")], empty.SystemMetadata);
        Assert.Equal([new KeyValuePair<string, string>("acl", "owner-a")], first.SystemMetadata);
    }

    [Theory]
    [InlineData("absent")]
    [InlineData(null)]
    public void DeserializeListed_KeepsNoSystemEntry_WhenTheNamedOneIsAbsentOrNoneIsNamed(string? name)
    {
        var listed = RecordSerializer.DeserializeListed("bucket", "k", RecordSerializer.SerializeObject(ListedSample("extents")), new ListingSummary(name));
        Assert.Empty(listed.SystemMetadata);
        Assert.Equal("0123456789abcdef0123456789abcdef", listed.ETag);
    }

    [Theory]
    [MemberData(nameof(ListedShapes))]
    public void DeserializeListed_ThrowsInvalidData_WhenAnyByteIsCorrupted(string shape)
    {
        var bytes = RecordSerializer.SerializeObject(ListedSample(shape));
        for (var i = 0; i < bytes.Length; i += 3)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => RecordSerializer.DeserializeListed("b", "k", copy, new ListingSummary("acl")));
        }
    }

    [Fact]
    public void SerializeObject_WritesTheSameBytesAsAFreshThread_AfterALargerRecordOnThisThread()
    {
        byte[]? fresh = null;
        var thread = new Thread(() => fresh = RecordSerializer.SerializeObject(ListedSample("inline")));
        thread.Start();
        thread.Join();

        // A larger record first leaves this thread's reused writer full of other bytes; none may leak into the next.
        RecordSerializer.SerializeObject(WithListingMetadata(Sample(Enumerable.Repeat((byte)0xEE, 40_000).ToArray())));
        Assert.Equal(fresh, RecordSerializer.SerializeObject(ListedSample("inline")));
        Assert.Equal(fresh, RecordSerializer.SerializeObject(ListedSample("inline")));
    }

    [Fact]
    public void PartAndUploadRecords_RoundTripEveryField()
    {
        var part = new PartRecord
        {
            PartNumber = 7,
            Size = 70_000,
            ETag = "0123456789abcdef0123456789abcdef",
            LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_456),
            ChecksumAlgorithm = ChecksumAlgorithm.Crc32C,
            Checksum = "AAAAAA==",
            Data = new DataSegment { Length = 70_000, ChunkSize = 65536, Extents = [new Extent(4096, 73728)], ChunkCrcs = [5, 6] },
        };
        var partCopy = RecordSerializer.DeserializePart(7, RecordSerializer.SerializePart(part));
        Assert.Equal((part.PartNumber, part.Size, part.ETag, part.LastModified, part.ChecksumAlgorithm, part.Checksum), (partCopy.PartNumber, partCopy.Size, partCopy.ETag, partCopy.LastModified, partCopy.ChecksumAlgorithm, partCopy.Checksum));
        Assert.Equal(part.Data.Extents, partCopy.Data.Extents);
        Assert.Equal(part.Data.ChunkCrcs, partCopy.Data.ChunkCrcs);
        Assert.Equal(65536, partCopy.Data.ChunkSize);

        var uploadId = UploadIds.Create(DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_789));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_789), UploadIds.InitiatedAt(uploadId));
        Assert.True(UploadIds.IsWellFormed(uploadId));
        var upload = new MultipartUpload
        {
            Bucket = "b",
            Key = "dir/ключ",
            UploadId = uploadId,
            Initiated = UploadIds.InitiatedAt(uploadId),
            ContentType = "text/plain",
            ChecksumAlgorithm = ChecksumAlgorithm.Sha256,
            UserMetadata = new Dictionary<string, string> { ["x"] = "y" },
            SystemMetadata = new Dictionary<string, string> { ["content-encoding"] = "gzip" },
        };
        var uploadCopy = RecordSerializer.DeserializeUpload("b", "dir/ключ", uploadId, RecordSerializer.SerializeUpload(upload));
        Assert.Equal((upload.Initiated, upload.ContentType, upload.ChecksumAlgorithm), (uploadCopy.Initiated, uploadCopy.ContentType, uploadCopy.ChecksumAlgorithm));
        Assert.Equal(upload.UserMetadata, uploadCopy.UserMetadata);
        Assert.Equal(upload.SystemMetadata, uploadCopy.SystemMetadata);
        Assert.Equal(("b", "dir/ключ", uploadId), MetadataKeys.ParseUpload(MetadataKeys.Upload("b", "dir/ключ", uploadId)));
        Assert.Equal(("b", "a\0b", uploadId), MetadataKeys.ParseUpload(MetadataKeys.Upload("b", "a\0b", uploadId)));
    }

    [Fact]
    public void UploadIds_SortByCreationTime_AndAreUrlSafe()
    {
        var ids = Enumerable.Range(0, 200).Select(i => UploadIds.Create(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000_000_000 + (i * 977L)))).ToList();
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.All(ids, id => Assert.Matches("^u[A-Za-z0-9_-]{32}$", id)); // never starts with '-' (read as an option by CLIs)
        Assert.Equal(200, ids.Distinct().Count());
        Assert.False(UploadIds.IsWellFormed("abc"));
        Assert.False(UploadIds.IsWellFormed(new string('+', 33)));
        Assert.False(UploadIds.IsWellFormed("-" + ids[0][1..]));
        Assert.All(ids, id => Assert.True(UploadIds.IsWellFormed(id)));
    }
}
