using ComIO.Storage.Allocation;
using ComIO.Storage.Metadata;
using ComIO.Storage.Tests.Support;
using static ComIO.Storage.Tests.Support.MultipartData;

namespace ComIO.Storage.Tests;

public sealed class ObjectTaggingTests
{
    private static readonly KeyValuePair<string, string>[] TwoTags = [new("project", "comio"), new("Ключ", "значение")];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<PutObjectResult> PutTaggedAsync(StorageEngine engine, string key, byte[] data, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        using var body = new MemoryStream(data);
        return await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = key, ContentLength = data.Length, Tags = tags }, body, Ct);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutObjectAsync_StoresTagsInOrder_ForInlineAndExtentObjects_AndAfterReopen(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var small = TestData.Random(100, 1);
        var large = TestData.Random(300_000, 2);
        Assert.Equal(EngineStatus.Ok, (await PutTaggedAsync(engine, "small", small, TwoTags)).Status);
        var put = await PutTaggedAsync(engine, "large", large, TwoTags);
        Assert.Equal(TwoTags, put.Object!.Tags);
        await engine.PutAsync("b", "plain", small);

        Assert.Equal(TwoTags, engine.GetObject("b", "small")!.Tags);
        Assert.Equal(TwoTags, engine.GetObject("b", "large")!.Tags);
        Assert.Empty(engine.GetObject("b", "plain")!.Tags);
        Assert.Equal(TwoTags, engine.ListObjects("b", "large", null, 10).Objects.Single().Tags);

        engine = await harness.ReopenAsync();
        Assert.Equal(TwoTags, engine.GetObject("b", "small")!.Tags);
        Assert.Equal(TwoTags, engine.GetObject("b", "large")!.Tags);
        Assert.Empty(engine.GetObject("b", "plain")!.Tags);
        Assert.Equal(small, await engine.ReadAllAsync("b", "small"));
        Assert.Equal(large, await engine.ReadAllAsync("b", "large"));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task SetObjectTagsAsync_ReplacesTagsWithoutTouchingDataOrMetadata_AndSurvivesReopen(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var small = TestData.Random(10, 3);
        var large = TestData.Random(200_000, 4);
        await engine.PutAsync("b", "small", small);
        await PutTaggedAsync(engine, "large", large, TwoTags);
        var before = engine.GetObject("b", "large")!;
        var free = engine.GetStats().FreeBytes;
        var groups = engine.CommitGroupCount;

        KeyValuePair<string, string>[] replacement = [new("z", ""), new("a", "1")];
        Assert.Equal(EngineStatus.Ok, await engine.SetObjectTagsAsync("b", "large", replacement, Ct));
        Assert.Equal(EngineStatus.Ok, await engine.SetObjectTagsAsync("b", "small", TwoTags, Ct));
        Assert.True(engine.CommitGroupCount > groups);

        var after = engine.GetObject("b", "large")!;
        Assert.Equal(replacement, after.Tags);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.LastModified, after.LastModified);
        Assert.Equal(before.Size, after.Size);
        Assert.Equal(free, engine.GetStats().FreeBytes);
        Assert.Equal(large, await engine.ReadAllAsync("b", "large"));
        Assert.Equal(small, await engine.ReadAllAsync("b", "small"));

        // An empty tag set removes the tags (DeleteObjectTagging).
        Assert.Equal(EngineStatus.Ok, await engine.SetObjectTagsAsync("b", "small", [], Ct));
        Assert.Empty(engine.GetObject("b", "small")!.Tags);
        Assert.Equal(EngineStatus.Ok, await engine.SetObjectTagsAsync("b", "small", TwoTags, Ct));

        engine = await harness.ReopenAsync();
        Assert.Equal(replacement, engine.GetObject("b", "large")!.Tags);
        Assert.Equal(TwoTags, engine.GetObject("b", "small")!.Tags);
        Assert.Equal(free, engine.GetStats().FreeBytes);
        Assert.Equal(large, await engine.ReadAllAsync("b", "large"));
        Assert.Equal(small, await engine.ReadAllAsync("b", "small"));

        // Deleting the object after retagging frees its space exactly once.
        Assert.Equal(EngineStatus.Ok, await engine.DeleteObjectAsync("b", "large", Ct));
        Assert.Equal(free + Blocks(large.Length), engine.GetStats().FreeBytes);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task SetObjectTagsAsync_ReturnsNoSuchBucketOrNoSuchKey_AndRejectsInvalidTagSets(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.PutAsync("b", "k", [1, 2, 3]);
        Assert.Equal(EngineStatus.NoSuchBucket, await engine.SetObjectTagsAsync("nope", "k", TwoTags, Ct));
        Assert.Equal(EngineStatus.NoSuchKey, await engine.SetObjectTagsAsync("b", "missing", TwoTags, Ct));

        var eleven = Enumerable.Range(0, 11).Select(i => new KeyValuePair<string, string>($"k{i}", "v")).ToArray();
        await Assert.ThrowsAsync<ArgumentException>(() => engine.SetObjectTagsAsync("b", "k", eleven, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => engine.SetObjectTagsAsync("b", "k", [new("a", "1"), new("a", "2")], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => engine.SetObjectTagsAsync("b", "k", [new("", "1")], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => engine.SetObjectTagsAsync("b", "k", [new(new string('k', 129), "1")], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => engine.SetObjectTagsAsync("b", "k", [new("k", new string('v', 257))], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => PutTaggedAsync(engine, "k2", [1], eleven));
        Assert.Null(engine.GetObject("b", "k2"));

        // Limits are inclusive and counted in Unicode characters (a surrogate pair is one), keys are case-sensitive.
        var limits = Enumerable.Range(0, 8).Select(i => new KeyValuePair<string, string>($"k{i}", "")).ToList();
        limits.Add(new(string.Concat(Enumerable.Repeat("😀", 128)), string.Concat(Enumerable.Repeat("é", 256))));
        limits.Add(new("K0", "upper"));
        Assert.Equal(EngineStatus.Ok, await engine.SetObjectTagsAsync("b", "k", limits, Ct));
        Assert.Equal(limits, engine.GetObject("b", "k")!.Tags);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task CompleteMultipartUploadAsync_CarriesUploadTagsIntoObject_AndRetaggingKeepsSegments(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var created = await engine.CreateMultipartUploadAsync(new CreateUploadRequest { Bucket = "b", Key = "mp", Tags = TwoTags }, Ct);
        Assert.Equal(TwoTags, created.Upload!.Tags);
        var id = created.Upload.UploadId;

        engine = await harness.ReopenAsync();
        Assert.Equal(TwoTags, engine.ListParts("b", "mp", id, 0, 10).Upload!.Tags);
        var part1 = TestData.Random(5 * MiB, 1);
        var part2 = TestData.Random(1000, 2);
        var p1 = await engine.PutPartAsync("b", "mp", id, 1, part1);
        var p2 = await engine.PutPartAsync("b", "mp", id, 2, part2);
        var done = await engine.CompleteMultipartUploadAsync("b", "mp", id, [new CompletedPart(1, p1.Part!.ETag), new CompletedPart(2, p2.Part!.ETag)], Ct);
        Assert.Equal(EngineStatus.Ok, done.Status);
        Assert.Equal(TwoTags, done.Object!.Tags);
        Assert.Equal(TwoTags, engine.GetObject("b", "mp")!.Tags);

        Assert.Equal(EngineStatus.Ok, await engine.SetObjectTagsAsync("b", "mp", [new("x", "y")], Ct));
        engine = await harness.ReopenAsync();
        var record = engine.GetObject("b", "mp")!;
        Assert.Equal([new KeyValuePair<string, string>("x", "y")], record.Tags);
        Assert.Equal(2, record.PartCount);
        Assert.Equal(MultipartETag(part1, part2), record.ETag);
        var content = await engine.ReadAllAsync("b", "mp");
        Assert.Equal(part1.Concat(part2).ToArray(), content);
    }

    [Fact]
    public async Task SetObjectTagsAsync_AppliesInSubmissionOrder_WithConcurrentOverwrites()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.PutAsync("b", "k", TestData.Random(50_000, 1));
        var free = engine.GetStats().FreeBytes;
        var tasks = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            var n = i;
            tasks.Add(engine.SetObjectTagsAsync("b", "k", [new("n", n.ToString(System.Globalization.CultureInfo.InvariantCulture))], Ct));
            if (i % 5 == 0)
            {
                tasks.Add(engine.PutAsync("b", "k", TestData.Random(50_000, n)));
            }
        }

        await Task.WhenAll(tasks);
        Assert.Equal(EngineStatus.Ok, await engine.SetObjectTagsAsync("b", "k", [new("final", "1")], Ct));
        Assert.Equal("final", engine.GetObject("b", "k")!.Tags.Single().Key);
        Assert.Equal(free, engine.GetStats().FreeBytes);
        engine = await harness.ReopenAsync();
        Assert.Equal(free, engine.GetStats().FreeBytes);
    }

    [Fact]
    public void SerializeObject_ProducesGoldenBytes_ForTaggedRecord_AndUntaggedRecordKeepsOriginalFormat()
    {
        var record = new ObjectRecord
        {
            Bucket = "b",
            Key = "k",
            Size = 1,
            ETag = "e",
            LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1),
            InlineData = [0xAB],
        };
        var untagged = RecordSerializer.SerializeObject(record);
        var tagged = RecordSerializer.SerializeObject(record.WithTags([new("k", "v"), new("é", "")]));

        // If this fails the metadata format changed: bump the record version and keep reading the old one.
        const string V1 = "01010000000000000001000000000000000100000065FFFFFFFF00FFFFFFFF000000000000000000000000000000000000000001000000AB";
        Assert.Equal(V1, Convert.ToHexString(untagged[..^4]));
        Assert.Equal(V1 + "54" + "02000000" + "010000006B" + "0100000076" + "02000000C3A9" + "00000000", Convert.ToHexString(tagged[..^4]));

        var copy = RecordSerializer.DeserializeObject("b", "k", tagged);
        Assert.Equal([new KeyValuePair<string, string>("k", "v"), new("é", "")], copy.Tags);
        Assert.Equal(record.InlineData, copy.InlineData);
        Assert.Equal(record.WithTags(TwoTags).Tags, RecordSerializer.DeserializeObject("b", "k", RecordSerializer.SerializeObject(record.WithTags(TwoTags)), includeData: false).Tags);
        Assert.Empty(RecordSerializer.DeserializeObject("b", "k", untagged).Tags);
    }

    [Fact]
    public void DeserializeObject_RoundTripsTags_ForSegmentedRecordsAndUploads_AndRejectsUnknownSections()
    {
        var segmented = new ObjectRecord
        {
            Bucket = "b",
            Key = "k",
            Size = 10,
            ETag = "e-1",
            LastModified = DateTimeOffset.FromUnixTimeMilliseconds(5),
            PartCount = 1,
            Extents = [new Extent(8192, 4096)],
            Segments = [new Objects.DataSegment { Length = 10, ChunkSize = 4096, Extents = [new Extent(8192, 4096)], ChunkCrcs = [7] }],
            Tags = TwoTags,
        };
        var copy = RecordSerializer.DeserializeObject("b", "k", RecordSerializer.SerializeObject(segmented));
        Assert.Equal(TwoTags, copy.Tags);
        Assert.Equal(1, copy.PartCount);

        var upload = new MultipartUpload { Bucket = "b", Key = "k", UploadId = "id", Initiated = DateTimeOffset.FromUnixTimeMilliseconds(9), Tags = TwoTags };
        Assert.Equal(TwoTags, RecordSerializer.DeserializeUpload("b", "k", "id", RecordSerializer.SerializeUpload(upload)).Tags);
        Assert.Empty(RecordSerializer.DeserializeUpload("b", "k", "id", RecordSerializer.SerializeUpload(new MultipartUpload { Bucket = "b", Key = "k", UploadId = "id", Initiated = upload.Initiated })).Tags);

        // A record with an unknown trailing section (sealed with a valid CRC) is refused, never silently truncated.
        var bytes = RecordSerializer.SerializeObject(segmented.WithTags(ObjectTags.None));
        var body = bytes[..^4].Concat(new byte[] { 0x58 }).ToArray();
        var sealedBytes = body.Concat(BitConverter.GetBytes(Checksums.Crc32C.Compute(body))).ToArray();
        Assert.Throws<InvalidDataException>(() => RecordSerializer.DeserializeObject("b", "k", sealedBytes));
    }
}
