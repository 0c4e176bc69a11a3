using ComIO.Storage.Tests.Support;
using static ComIO.Storage.Tests.Support.MultipartData;

namespace ComIO.Storage.Tests;

public sealed class MultipartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutPartAsync_StoresReplacesAndPaginatesParts(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        var id = await engine.CreateUploadAsync("b", "k");
        Assert.Matches("^u[A-Za-z0-9_-]{32}$", id);
        int[] sizes = [1000, 70_000, 1, 0, 200_000];
        var parts = new Dictionary<int, byte[]>();
        for (var n = 1; n <= sizes.Length; n++)
        {
            parts[n] = TestData.Random(sizes[n - 1], n);
            var put = await engine.PutPartAsync("b", "k", id, n, parts[n]);
            Assert.Equal(EngineStatus.Ok, put.Status);
            Assert.Equal(TestData.Md5Hex(parts[n]), put.Part!.ETag);
            Assert.Equal(sizes[n - 1], put.Part.Size);
        }

        // Parts are never inline: even a 1000-byte part takes a block.
        Assert.Equal(free - sizes.Sum(s => Blocks(s)), engine.GetStats().FreeBytes);

        // Replacing part 2 frees the old part's blocks.
        parts[2] = TestData.Random(5000, 99);
        Assert.Equal(EngineStatus.Ok, (await engine.PutPartAsync("b", "k", id, 2, parts[2])).Status);
        Assert.Equal(free - parts.Values.Sum(p => Blocks(p.Length)), engine.GetStats().FreeBytes);

        var seen = new List<PartRecord>();
        var marker = 0;
        while (true)
        {
            var page = engine.ListParts("b", "k", id, marker, 2);
            Assert.Equal(EngineStatus.Ok, page.Status);
            Assert.Equal(id, page.Upload!.UploadId);
            seen.AddRange(page.Parts);
            if (!page.IsTruncated)
            {
                break;
            }

            Assert.Equal(2, page.Parts.Count);
            marker = page.Parts[^1].PartNumber;
        }

        Assert.Equal([1, 2, 3, 4, 5], seen.Select(p => p.PartNumber));
        Assert.Equal(parts.OrderBy(p => p.Key).Select(p => TestData.Md5Hex(p.Value)), seen.Select(p => p.ETag));
        Assert.Equal(parts.OrderBy(p => p.Key).Select(p => (long)p.Value.Length), seen.Select(p => p.Size));
        Assert.Empty(engine.ListParts("b", "k", id, 5, 10).Parts);

        // Part state survives a restart and the allocator accounts for it.
        engine = await harness.ReopenAsync();
        Assert.Equal(5, engine.ListParts("b", "k", id, 0, 100).Parts.Count);
        Assert.Equal(free - parts.Values.Sum(p => Blocks(p.Length)), engine.GetStats().FreeBytes);
        Assert.Empty(engine.ListObjects("b", null, null, 10).Objects);
    }

    [Theory]
    [InlineData(DeviceType.Memory, 64 * 1024)]
    [InlineData(DeviceType.Memory, 4096)]
    [InlineData(DeviceType.DirectFile, 64 * 1024)]
    [InlineData(DeviceType.FaultInjecting, 16 * 1024)]
    public async Task CompleteMultipartUploadAsync_StitchesPartsWithoutCopying_ByteExactAcrossBoundaries(DeviceType type, int chunkSize)
    {
        await using var harness = await EngineHarness.CreateAsync(type, capacity: 48L * MiB, chunkSize: chunkSize);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        var create = await engine.CreateMultipartUploadAsync(
            new CreateUploadRequest
            {
                Bucket = "b",
                Key = "big",
                ContentType = "video/mp4",
                UserMetadata = new Dictionary<string, string> { ["owner"] = "me" },
                SystemMetadata = new Dictionary<string, string> { ["cache-control"] = "no-cache" },
            },
            Ct);
        var id = create.Upload!.UploadId;
        byte[][] data = [TestData.Random(5 * MiB, 1), TestData.Random((5 * MiB) + 123, 2), TestData.Random(77, 3)];

        // Upload out of order; the part number decides the position.
        var etags = new string[3];
        foreach (var n in new[] { 3, 1, 2 })
        {
            var put = await engine.PutPartAsync("b", "big", id, n, data[n - 1]);
            Assert.Equal(EngineStatus.Ok, put.Status);
            etags[n - 1] = put.Part!.ETag;
        }

        var writesBefore = harness.Faults?.WriteCount;
        var completed = await engine.CompleteMultipartUploadAsync("b", "big", id, [new(1, etags[0]), new(2, $"\"{etags[1]}\""), new(3, etags[2].ToUpperInvariant())], Ct);
        Assert.Equal(EngineStatus.Ok, completed.Status);
        Assert.Equal(writesBefore, harness.Faults?.WriteCount);
        var all = data.SelectMany(d => d).ToArray();
        var record = completed.Object!;
        Assert.Equal(all.Length, record.Size);
        Assert.Equal(MultipartETag(data), record.ETag);
        Assert.Equal(3, record.PartCount);
        Assert.Null(record.ChecksumAlgorithm);
        Assert.Equal("video/mp4", record.ContentType);
        Assert.Equal("me", record.UserMetadata["owner"]);
        Assert.Equal("no-cache", record.SystemMetadata["cache-control"]);

        Assert.True(record.TryGetPartRange(2, out var partOffset, out var partLength));
        Assert.Equal((5L * MiB, (5L * MiB) + 123), (partOffset, partLength));
        Assert.True(engine.GetObject("b", "big")!.TryGetPartRange(3, out partOffset, out partLength));
        Assert.Equal(((10L * MiB) + 123, 77L), (partOffset, partLength));
        Assert.False(record.TryGetPartRange(4, out _, out _));
        Assert.False(record.TryGetPartRange(0, out _, out _));

        // No data copied: space used is exactly the three parts.
        Assert.Equal(free - data.Sum(d => Blocks(d.Length)), engine.GetStats().FreeBytes);
        Assert.Equal(EngineStatus.NoSuchUpload, engine.ListParts("b", "big", id, 0, 10).Status);
        Assert.Empty(engine.ListMultipartUploads("b", null, null, null, 10).Uploads);

        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(all, await engine.ReadAllAsync("b", "big"));
            long p1 = 5 * MiB;
            long p2 = p1 + (5 * MiB) + 123;
            (long Offset, long Length)[] ranges =
            [
                (p1 - 10, 20), (p1 - 1, 2), (p1, 1), (p1 - chunkSize - 7, (5 * MiB) + 200), (p2 - 1, 78), (p2 - 5000, 5010), (p2, 77),
                (p2 + 76, 1), (0, p2 + 1), (123_456, -1), (p1 + 65_536, MiB), (all.Length, 0),
            ];
            foreach (var (offset, length) in ranges)
            {
                var expectedLength = length < 0 ? all.Length - offset : Math.Min(length, all.Length - offset);
                var expected = all[(int)offset..(int)(offset + expectedLength)];
                Assert.Equal(expected, await engine.ReadAllAsync("b", "big", offset, length));
            }

            var scrub = await engine.ScrubAsync(Ct);
            Assert.Empty(scrub.Findings);
            Assert.Equal(1, scrub.ObjectsScanned);
            Assert.Equal(all.Length, scrub.BytesVerified);

            engine = await harness.ReopenAsync();
            Assert.Equal(free - data.Sum(d => Blocks(d.Length)), engine.GetStats().FreeBytes);
            Assert.Equal(MultipartETag(data), engine.GetObject("b", "big")!.ETag);
            Assert.Equal(1, engine.GetStats().ObjectCount);
        }

        Assert.Equal(EngineStatus.Ok, await engine.DeleteObjectAsync("b", "big", Ct));
        Assert.Equal(free, engine.GetStats().FreeBytes);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task CompleteMultipartUploadAsync_ReturnsStatusAndKeepsUpload_WhenRequestIsInvalid(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var id = await engine.CreateUploadAsync("b", "k");
        var big = TestData.Random(5 * MiB, 1);
        var small = TestData.Random(1000, 2);
        var e1 = (await engine.PutPartAsync("b", "k", id, 1, small)).Part!.ETag;
        var e2 = (await engine.PutPartAsync("b", "k", id, 2, big)).Part!.ETag;
        var e3 = (await engine.PutPartAsync("b", "k", id, 3, small)).Part!.ETag;

        async Task<EngineStatus> CompleteAsync(string key, string uploadId, params CompletedPart[] parts) =>
            (await engine.CompleteMultipartUploadAsync("b", key, uploadId, parts, Ct)).Status;

        Assert.Equal(EngineStatus.EntityTooSmall, await CompleteAsync("k", id, new(1, e1), new(2, e2)));
        Assert.Equal(EngineStatus.InvalidPart, await CompleteAsync("k", id, new(2, e2), new(4, e3)));
        Assert.Equal(EngineStatus.InvalidPart, await CompleteAsync("k", id, new(2, e1), new(3, e3)));
        Assert.Equal(EngineStatus.InvalidPart, await CompleteAsync("k", id));
        Assert.Equal(EngineStatus.InvalidPartOrder, await CompleteAsync("k", id, new(3, e3), new(2, e2)));
        Assert.Equal(EngineStatus.InvalidPartOrder, await CompleteAsync("k", id, new(2, e2), new(2, e2)));
        Assert.Equal(EngineStatus.NoSuchUpload, await CompleteAsync("other", id, new(2, e2), new(3, e3)));
        Assert.Equal(EngineStatus.NoSuchUpload, await CompleteAsync("k", "not-an-upload-id", new CompletedPart(2, e2)));
        Assert.Equal(EngineStatus.NoSuchUpload, await CompleteAsync("k", new string('A', 32), new CompletedPart(2, e2)));
        Assert.Equal(EngineStatus.NoSuchBucket, (await engine.CompleteMultipartUploadAsync("zz", "k", id, [new(2, e2)], Ct)).Status);
        Assert.Equal(EngineStatus.NoSuchUpload, (await engine.PutPartAsync("b", "k", new string('A', 32), 1, small)).Status);
        Assert.Equal(EngineStatus.NoSuchUpload, (await engine.PutPartAsync("b", "other", id, 1, small)).Status);
        Assert.Equal(EngineStatus.NoSuchUpload, engine.ListParts("b", "k", "x", 0, 10).Status);
        Assert.Equal(EngineStatus.NoSuchUpload, await engine.AbortMultipartUploadAsync("b", "k", new string('A', 32), Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.PutPartAsync("b", "k", id, 0, small));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.PutPartAsync("b", "k", id, 10_001, small));

        // A bad digest or a short body stores nothing.
        var free = engine.GetStats().FreeBytes;
        using (var body = new MemoryStream(small))
        {
            var request = new PutPartRequest { Bucket = "b", Key = "k", UploadId = id, PartNumber = 4, ContentLength = small.Length, ExpectedMd5 = new byte[16] };
            Assert.Equal(EngineStatus.BadDigest, (await engine.PutPartAsync(request, body, Ct)).Status);
        }

        using (var body = new MemoryStream(small))
        {
            var request = new PutPartRequest { Bucket = "b", Key = "k", UploadId = id, PartNumber = 4, ContentLength = small.Length + 1 };
            Assert.Equal(EngineStatus.IncompleteBody, (await engine.PutPartAsync(request, body, Ct)).Status);
        }

        Assert.Equal(free, engine.GetStats().FreeBytes);

        // Nothing above changed the upload: it still completes.
        Assert.Equal([1, 2, 3], engine.ListParts("b", "k", id, 0, 10).Parts.Select(p => p.PartNumber));
        Assert.Null(engine.GetObject("b", "k"));
        Assert.Equal(EngineStatus.Ok, await CompleteAsync("k", id, new(2, e2), new(3, e3)));
        var joined = big.Concat(small).ToArray();
        Assert.Equal(joined, await engine.ReadAllAsync("b", "k"));
        Assert.Equal(EngineStatus.NoSuchUpload, await CompleteAsync("k", id, new(2, e2), new(3, e3)));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task AbortMultipartUploadAsync_FreesAllParts_AndStaysFreeAfterReopen(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.PutAsync("b", "keep", TestData.Random(300_000, 7));
        var free = engine.GetStats().FreeBytes;
        var id = await engine.CreateUploadAsync("b", "k");
        var other = await engine.CreateUploadAsync("b", "k");
        for (var n = 1; n <= 4; n++)
        {
            Assert.Equal(EngineStatus.Ok, (await engine.PutPartAsync("b", "k", id, n, TestData.Random(n * 700_000, n))).Status);
        }

        await engine.PutPartAsync("b", "k", other, 1, TestData.Random(1000, 9));
        Assert.True(engine.GetStats().FreeBytes < free - (6 * MiB));
        Assert.Equal(EngineStatus.Ok, await engine.AbortMultipartUploadAsync("b", "k", id, Ct));
        Assert.Equal(free - Blocks(1000), engine.GetStats().FreeBytes);
        Assert.Equal(EngineStatus.NoSuchUpload, await engine.AbortMultipartUploadAsync("b", "k", id, Ct));
        Assert.Equal(EngineStatus.NoSuchUpload, engine.ListParts("b", "k", id, 0, 10).Status);
        Assert.Equal(EngineStatus.NoSuchUpload, (await engine.PutPartAsync("b", "k", id, 1, [1, 2, 3])).Status);
        Assert.Equal([other], engine.ListMultipartUploads("b", null, null, null, 10).Uploads.Select(u => u.UploadId));

        engine = await harness.ReopenAsync();
        Assert.Equal(free - Blocks(1000), engine.GetStats().FreeBytes);
        Assert.Equal(EngineStatus.Ok, await engine.AbortMultipartUploadAsync("b", "k", other, Ct));
        Assert.Equal(free, engine.GetStats().FreeBytes);
        engine = await harness.ReopenAsync();
        Assert.Equal(free, engine.GetStats().FreeBytes);
        Assert.Empty(engine.ListMultipartUploads("b", null, null, null, 10).Uploads);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task CompleteMultipartUploadAsync_FreesUnlistedPartsAndReplacedObject(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        await engine.PutAsync("b", "k", TestData.Random(2 * MiB, 1));
        var id = await engine.CreateUploadAsync("b", "k");
        byte[][] data = [TestData.Random(5 * MiB, 2), TestData.Random(100_000, 3), TestData.Random(200, 4), TestData.Random(3 * MiB, 5)];
        var etags = new List<string>();
        for (var n = 1; n <= data.Length; n++)
        {
            etags.Add((await engine.PutPartAsync("b", "k", id, n, data[n - 1])).Part!.ETag);
        }

        var result = await engine.CompleteMultipartUploadAsync("b", "k", id, [new(1, etags[0]), new(3, etags[2])], Ct);
        Assert.Equal(EngineStatus.Ok, result.Status);
        Assert.Equal(MultipartETag(data[0], data[2]), result.Object!.ETag);
        var used = Blocks(data[0].Length) + Blocks(data[2].Length);
        var stitched = data[0].Concat(data[2]).ToArray();
        Assert.Equal(free - used, engine.GetStats().FreeBytes);
        Assert.Equal(stitched, await engine.ReadAllAsync("b", "k"));
        Assert.Equal(1, engine.GetStats().ObjectCount);

        engine = await harness.ReopenAsync();
        Assert.Equal(free - used, engine.GetStats().FreeBytes);
        Assert.Equal(stitched, await engine.ReadAllAsync("b", "k"));

        // A plain put over a multipart object frees every part's extents.
        await engine.PutAsync("b", "k", TestData.Random(100, 6));
        Assert.Equal(free, engine.GetStats().FreeBytes);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task OpenObjectAsync_ThrowsChecksumMismatch_WhenPartDataIsCorrupted(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type, chunkSize: 4096);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var id = await engine.CreateUploadAsync("b", "k");
        byte[][] data = [TestData.Random((5 * MiB) + 1000, 1), TestData.Random(50_000, 2)];
        var e1 = (await engine.PutPartAsync("b", "k", id, 1, data[0])).Part!.ETag;
        var e2 = (await engine.PutPartAsync("b", "k", id, 2, data[1])).Part!.ETag;
        Assert.Equal(EngineStatus.Ok, (await engine.CompleteMultipartUploadAsync("b", "k", id, [new(1, e1), new(2, e2)], Ct)).Status);
        var all = data.SelectMany(d => d).ToArray();

        // Byte 3 * 4096 + 10 of part 2: part 1 has 1281 chunks (the last one short), so this is chunk 1284.
        long corruptAt = data[0].Length + (3 * 4096) + 10;
        var record = engine.GetObject("b", "k")!;
        var deviceOffset = record.MapToDevice(corruptAt, out _);
        harness.CorruptByte(deviceOffset);

        var prefix = all[..(data[0].Length + (3 * 4096))];
        Assert.Equal(prefix, await engine.ReadAllAsync("b", "k", 0, prefix.Length));
        var after = all[((int)corruptAt + 4096)..((int)corruptAt + 5096)];
        Assert.Equal(after, await engine.ReadAllAsync("b", "k", corruptAt + 4096, 1000));
        await using var open = await engine.OpenObjectAsync("b", "k", 5 * MiB, -1, Ct);
        var ex = await Assert.ThrowsAsync<ChecksumMismatchException>(() => open.Content!.CopyToAsync(Stream.Null, Ct));
        Assert.Equal(1281 + 3, ex.ChunkIndex);
        Assert.Equal(deviceOffset - 10, ex.DeviceOffset);

        var finding = Assert.Single((await engine.ScrubAsync(Ct)).Findings);
        Assert.Equal((1281 + 3, deviceOffset - 10), (finding.ChunkIndex, finding.DeviceOffset));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task ListMultipartUploads_SortsByKeyThenInitiation_AndPaginatesWithMarkers(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.CreateBucketAsync("c", Ct);
        await engine.CreateUploadAsync("c", "a");
        string[] keys = ["b", "a", "a/x", "a", "é", "a", "ab", "b"];
        var created = new List<MultipartUpload>();
        foreach (var key in keys)
        {
            var result = await engine.CreateMultipartUploadAsync(new CreateUploadRequest { Bucket = "b", Key = key }, Ct);
            created.Add(result.Upload!);
            if (key == "a")
            {
                await Task.Delay(3, Ct);
            }
        }

        var expected = created
            .OrderBy(u => u.Key, Comparer<string>.Create((x, y) => System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y))))
            .ThenBy(u => u.Initiated)
            .ThenBy(u => u.UploadId, StringComparer.Ordinal)
            .Select(u => (u.Key, u.UploadId))
            .ToList();
        var all = engine.ListMultipartUploads("b", null, null, null, 100);
        Assert.False(all.IsTruncated);
        Assert.Equal(expected, all.Uploads.Select(u => (u.Key, u.UploadId)));

        // Pages of 2 with (key-marker, upload-id-marker) from the last entry reassemble the full listing.
        var paged = new List<(string, string)>();
        string? keyMarker = null;
        string? idMarker = null;
        while (true)
        {
            var page = engine.ListMultipartUploads("b", null, keyMarker, idMarker, 2);
            paged.AddRange(page.Uploads.Select(u => (u.Key, u.UploadId)));
            if (!page.IsTruncated)
            {
                break;
            }

            (keyMarker, idMarker) = (page.Uploads[^1].Key, page.Uploads[^1].UploadId);
        }

        Assert.Equal(expected, paged);

        // A key marker alone skips every upload of that key; prefixes restrict to matching keys.
        Assert.Equal(expected.Where(u => string.CompareOrdinal(u.Key, "a") > 0), engine.ListMultipartUploads("b", null, "a", null, 100).Uploads.Select(u => (u.Key, u.UploadId)));
        Assert.Equal(expected.Where(u => u.Key.StartsWith('a')), engine.ListMultipartUploads("b", "a", null, null, 100).Uploads.Select(u => (u.Key, u.UploadId)));
        Assert.Equal(["a/x"], engine.ListMultipartUploads("b", "a/", null, null, 100).Uploads.Select(u => u.Key));
        Assert.Empty(engine.ListMultipartUploads("missing", null, null, null, 100).Uploads);
        var upload = engine.ListMultipartUploads("b", "é", null, null, 1).Uploads.Single();
        Assert.True(Math.Abs((upload.Initiated - DateTimeOffset.UtcNow).TotalMinutes) < 5);

        engine = await harness.ReopenAsync();
        Assert.Equal(expected, engine.ListMultipartUploads("b", null, null, null, 100).Uploads.Select(u => (u.Key, u.UploadId)));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task DeleteBucketAsync_AbortsUploads_WhenBucketHasNoObjects(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        var id = await engine.CreateUploadAsync("b", "k");
        await engine.PutPartAsync("b", "k", id, 1, TestData.Random(100_000, 1));
        await engine.PutAsync("b", "obj", [1, 2, 3]);
        Assert.Equal(EngineStatus.BucketNotEmpty, await engine.DeleteBucketAsync("b", Ct));
        Assert.Single(engine.ListParts("b", "k", id, 0, 10).Parts);

        await engine.DeleteObjectAsync("b", "obj", Ct);
        Assert.Equal(EngineStatus.Ok, await engine.DeleteBucketAsync("b", Ct));
        Assert.Equal(free, engine.GetStats().FreeBytes);
        await engine.CreateBucketAsync("b", Ct);
        Assert.Empty(engine.ListMultipartUploads("b", null, null, null, 10).Uploads);
        engine = await harness.ReopenAsync();
        Assert.Equal(free, engine.GetStats().FreeBytes);
    }

    [Fact]
    public async Task PutPartAsync_ReplacesSamePartConcurrently_WithoutLeaking()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory, capacity: 64L * MiB);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        var id = await engine.CreateUploadAsync("b", "k");
        var puts = Enumerable.Range(0, 16).Select(i => Task.Run(() => engine.PutPartAsync("b", "k", id, (i % 3) + 1, TestData.Random(100_000 + i, i)), Ct)).ToArray();
        await Task.WhenAll(puts);
        Assert.All(puts, p => Assert.Equal(EngineStatus.Ok, p.Result.Status));
        var parts = engine.ListParts("b", "k", id, 0, 10).Parts;
        Assert.Equal(3, parts.Count);
        Assert.Equal(free - parts.Sum(p => Blocks(p.Size)), engine.GetStats().FreeBytes);

        // Completing while parts are being replaced: the object is one consistent set of parts.
        var racing = Task.Run(() => engine.PutPartAsync("b", "k", id, 2, TestData.Random(100_500, 77)), Ct);
        var complete = await engine.CompleteMultipartUploadAsync("b", "k", id, [new(3, parts[2].ETag)], Ct);
        var raced = await racing;
        Assert.Equal(EngineStatus.Ok, complete.Status);
        Assert.Contains(raced.Status, new[] { EngineStatus.Ok, EngineStatus.NoSuchUpload });
        Assert.Equal(free - Blocks(parts[2].Size), engine.GetStats().FreeBytes);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task CompleteMultipartUploadAsync_HandlesEmptyParts_ChecksumsAndOutbox(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);

        // A single empty part makes an empty object.
        var emptyId = await engine.CreateUploadAsync("b", "empty");
        var emptyPart = await engine.PutPartAsync("b", "empty", emptyId, 1, []);
        Assert.Equal(TestData.Md5Hex([]), emptyPart.Part!.ETag);
        var empty = await engine.CompleteMultipartUploadAsync("b", "empty", emptyId, [new(1, emptyPart.Part.ETag)], Ct);
        Assert.Equal(EngineStatus.Ok, empty.Status);
        Assert.Equal(MultipartETag(new[] { Array.Empty<byte>() }), empty.Object!.ETag);
        Assert.Empty(await engine.ReadAllAsync("b", "empty"));

        // A part checksum follows the upload's algorithm; a wrong expected checksum is BadDigest.
        var created = await engine.CreateMultipartUploadAsync(new CreateUploadRequest { Bucket = "b", Key = "k", ChecksumAlgorithm = ChecksumAlgorithm.Sha256 }, Ct);
        var id = created.Upload!.UploadId;
        var data = TestData.Random(5 * MiB, 1);
        var first = await engine.PutPartAsync("b", "k", id, 1, data);
        Assert.Equal(ChecksumAlgorithm.Sha256, first.Part!.ChecksumAlgorithm);
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(data)), first.Part.Checksum);
        using (var body = new MemoryStream([1, 2, 3]))
        {
            var request = new PutPartRequest { Bucket = "b", Key = "k", UploadId = id, PartNumber = 2, ContentLength = 3, ExpectedChecksum = Convert.ToBase64String(new byte[32]) };
            Assert.Equal(EngineStatus.BadDigest, (await engine.PutPartAsync(request, body, Ct)).Status);
        }

        // An empty last part after a full one, with an outbox entry committed in the same batch.
        var last = await engine.PutPartAsync("b", "k", id, 2, []);
        var result = await engine.CompleteMultipartUploadAsync("b", "k", id, [new(1, first.Part.ETag), new(2, last.Part!.ETag)], [42], Ct);
        Assert.Equal(EngineStatus.Ok, result.Status);
        Assert.Equal(MultipartETag(data, []), result.Object!.ETag);
        var entry = Assert.Single(engine.ReadOutbox(0, 10));
        Assert.Equal((OutboxOperation.Put, "k", result.Object.ETag, result.OutboxSequence), (entry.Operation, entry.Key, entry.ETag, (long?)entry.Sequence));
        Assert.Equal(data, await engine.ReadAllAsync("b", "k"));
        engine = await harness.ReopenAsync();
        Assert.Equal(data, await engine.ReadAllAsync("b", "k"));
        Assert.Empty(await engine.ReadAllAsync("b", "empty"));
        Assert.Equal(engine.GetStats().Capacity - Blocks(data.Length), engine.GetStats().FreeBytes);
    }

    [Fact]
    public async Task ListMultipartUploadsAndListParts_VisitAtMostPagePlusOne_WithManyEntries()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory, capacity: 64L * MiB);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("a", Ct);
        await engine.CreateBucketAsync("b", Ct);
        await engine.CreateBucketAsync("c", Ct);
        var creates = Enumerable.Range(0, 300).Select(i => engine.CreateMultipartUploadAsync(new CreateUploadRequest { Bucket = (i % 3) switch { 0 => "a", 1 => "b", _ => "c" }, Key = $"k{i:D4}" }, Ct));
        var uploads = (await Task.WhenAll(creates)).Select(r => r.Upload!).Where(u => u.Bucket == "b").OrderBy(u => u.Key, StringComparer.Ordinal).ToList();
        var id = uploads[50].UploadId;
        await Task.WhenAll(Enumerable.Range(1, 200).Select(n => engine.PutPartAsync("b", uploads[50].Key, id, n, [(byte)n])));

        var before = engine.ListSteps;
        var page = engine.ListMultipartUploads("b", null, uploads[40].Key, uploads[40].UploadId, 5);
        Assert.Equal(uploads.Skip(41).Take(5).Select(u => u.UploadId), page.Uploads.Select(u => u.UploadId));
        Assert.True(page.IsTruncated);
        Assert.True(engine.ListSteps - before <= 6);

        before = engine.ListSteps;
        var parts = engine.ListParts("b", uploads[50].Key, id, 100, 5);
        Assert.Equal([101, 102, 103, 104, 105], parts.Parts.Select(p => p.PartNumber));
        Assert.True(parts.IsTruncated);
        Assert.True(engine.ListSteps - before <= 6);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task OpenObjectAsync_KeepsStreamingMultipartObject_WhileItIsReplaced(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        var id = await engine.CreateUploadAsync("b", "k");
        byte[][] data = [TestData.Random(5 * MiB, 1), TestData.Random(3 * MiB, 2)];
        var e1 = (await engine.PutPartAsync("b", "k", id, 1, data[0])).Part!.ETag;
        var e2 = (await engine.PutPartAsync("b", "k", id, 2, data[1])).Part!.ETag;
        await engine.CompleteMultipartUploadAsync("b", "k", id, [new(1, e1), new(2, e2)], Ct);

        var open = await engine.OpenObjectAsync("b", "k", 0, -1, Ct);
        await using (open)
        {
            var head = new byte[1000];
            await open.Content!.ReadExactlyAsync(head, Ct);
            Assert.Equal(EngineStatus.Ok, await engine.DeleteObjectAsync("b", "k", Ct));
            await engine.PutAsync("b", "other", TestData.Random(10 * MiB, 3));

            // The deleted object's extents stay allocated while the stream is open, so nothing overwrote them.
            var rest = new MemoryStream();
            await open.Content.CopyToAsync(rest, Ct);
            var expected = data[0].Concat(data[1]).ToArray();
            Assert.Equal(expected, head.Concat(rest.ToArray()).ToArray());
        }

        Assert.Equal(free - (10 * MiB), engine.GetStats().FreeBytes);
    }
}
