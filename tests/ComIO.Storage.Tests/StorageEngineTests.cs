using System.Security.Cryptography;
using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

public sealed class StorageEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutObjectAsync_RoundTripsBytes_ForInlineAndExtentSizes(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        Assert.Equal(EngineStatus.Ok, await engine.CreateBucketAsync("b", Ct));
        int[] sizes = [0, 1, 4095, 16 * 1024, (16 * 1024) + 1, 65536, 65537, (1024 * 1024) + 3, (3 * 1024 * 1024) + 12345];
        foreach (var size in sizes)
        {
            var data = TestData.Random(size, size);
            var put = await engine.PutAsync("b", $"k{size}", data);
            Assert.Equal(EngineStatus.Ok, put.Status);
            Assert.Equal(TestData.Md5Hex(data), put.Object!.ETag);
            Assert.Equal(size, put.Object.Size);
            Assert.Equal(data, await engine.ReadAllAsync("b", $"k{size}"));
        }

        await harness.ReopenAsync();
        foreach (var size in sizes)
        {
            Assert.Equal(TestData.Random(size, size), await harness.Engine.ReadAllAsync("b", $"k{size}"));
            Assert.Equal(TestData.Md5Hex(TestData.Random(size, size)), harness.Engine.GetObject("b", $"k{size}")!.ETag);
        }

        Assert.Equal(sizes.Length, harness.Engine.GetStats().ObjectCount);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task OpenObjectAsync_ReturnsExactRange_ForArbitraryOffsets(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type, chunkSize: 4096);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var data = TestData.Random((300 * 1024) + 17, 7);
        await engine.PutAsync("b", "k", data);
        (long Offset, long Length)[] ranges = [(0, 1), (1, 4096), (4095, 2), (100_000, 50_000), (data.Length - 1, 1), (data.Length, 0), (5, -1), (12345, 10_000_000)];
        foreach (var (offset, length) in ranges)
        {
            var expectedLength = length < 0 ? data.Length - offset : Math.Min(length, data.Length - offset);
            var actual = await engine.ReadAllAsync("b", "k", offset, length);
            Assert.Equal(data.AsSpan((int)offset, (int)expectedLength).ToArray(), actual);
        }
    }

    /// <summary>
    /// A lone reader reads the range's first buffer's worth in 256 KiB reads (so the response starts sooner); with another
    /// range read open it reads whole buffers. Either way every range comes back exact.
    /// </summary>
    [Fact]
    public async Task OpenObjectAsync_SplitsOnlyTheLeadOfALoneRead_AndReturnsExactRangesEitherWay()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.FaultInjecting);
        var engine = harness.Engine;
        var device = harness.Faults!;
        await engine.CreateBucketAsync("b", Ct);
        var data = TestData.Random((3 * 1024 * 1024) + 12345, 11);
        await engine.PutAsync("b", "k", data);

        (long Offset, long Length)[] ranges = [(1, 300_000), (200_000, 1_000_000), (1024 * 1024, 5), (2_500_000, -1)];
        async Task ReadRangesAsync()
        {
            foreach (var (offset, length) in ranges)
            {
                var expected = data.AsSpan((int)offset, (int)(length < 0 ? data.Length - offset : length)).ToArray();
                Assert.Equal(expected, await engine.ReadAllAsync("b", "k", offset, length));
            }
        }

        var before = device.ReadCount;
        Assert.Equal(data, await engine.ReadAllAsync("b", "k"));
        var loneReads = device.ReadCount - before;
        await ReadRangesAsync();

        await using (var other = await engine.OpenObjectAsync("b", "k", 0, -1, Ct))
        {
            before = device.ReadCount;
            Assert.Equal(data, await engine.ReadAllAsync("b", "k"));
            var sharedReads = device.ReadCount - before;
            Assert.Equal(4, sharedReads); // three whole buffers and the tail
            Assert.Equal(sharedReads + 3, loneReads); // the first buffer's worth in four reads instead of one
            await ReadRangesAsync();
        }
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutObjectAsync_ReplacesOldVersionAndFreesItsSpace_WhenOverwriting(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        await engine.PutAsync("b", "k", TestData.Random(1024 * 1024, 1));
        var second = TestData.Random(2 * 1024 * 1024, 2);
        await engine.PutAsync("b", "k", second);
        Assert.Equal(free - (2 * 1024 * 1024), engine.GetStats().FreeBytes);
        Assert.Equal(second, await engine.ReadAllAsync("b", "k"));
        Assert.Equal(1, engine.GetStats().ObjectCount);
        Assert.Equal(EngineStatus.Ok, await engine.DeleteObjectAsync("b", "k", Ct));
        Assert.Equal(free, engine.GetStats().FreeBytes);
        Assert.Equal(0, engine.GetStats().ObjectCount);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task DeleteObjectAsync_ReturnsStatus_ForMissingBucketOrKey(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        Assert.Equal(EngineStatus.NoSuchBucket, await engine.DeleteObjectAsync("nope", "k", Ct));
        await engine.CreateBucketAsync("b", Ct);
        Assert.Equal(EngineStatus.NoSuchKey, await engine.DeleteObjectAsync("b", "k", Ct));
        await engine.PutAsync("b", "k", [1, 2, 3]);
        Assert.Equal(EngineStatus.Ok, await engine.DeleteObjectAsync("b", "k", Ct));
        Assert.Null(engine.GetObject("b", "k"));
        await using var open = await engine.OpenObjectAsync("b", "k", 0, -1, Ct);
        Assert.Equal(EngineStatus.NoSuchKey, open.Status);
        await using var openMissingBucket = await engine.OpenObjectAsync("x", "k", 0, -1, Ct);
        Assert.Equal(EngineStatus.NoSuchBucket, openMissingBucket.Status);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task BucketOperations_ReturnStatuses_AndPersist(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        Assert.Equal(EngineStatus.Ok, await engine.CreateBucketAsync("b2", Ct));
        Assert.Equal(EngineStatus.Ok, await engine.CreateBucketAsync("b1", Ct));
        Assert.Equal(EngineStatus.BucketAlreadyExists, await engine.CreateBucketAsync("b1", Ct));
        Assert.Equal(["b1", "b2"], engine.ListBuckets().Select(b => b.Name));
        await engine.PutAsync("b1", "k", [1]);
        Assert.Equal(EngineStatus.BucketNotEmpty, await engine.DeleteBucketAsync("b1", Ct));
        Assert.Equal(EngineStatus.NoSuchBucket, await engine.DeleteBucketAsync("zz", Ct));
        Assert.Equal(EngineStatus.NoSuchBucket, (await engine.PutAsync("zz", "k", [1])).Status);
        Assert.Equal(EngineStatus.Ok, await engine.DeleteBucketAsync("b2", Ct));
        engine = await harness.ReopenAsync();
        Assert.Equal(["b1"], engine.ListBuckets().Select(b => b.Name));
        Assert.NotNull(engine.GetBucket("b1"));
        Assert.Null(engine.GetBucket("b2"));
        Assert.Equal(1, engine.GetStats().BucketCount);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutObjectAsync_ReturnsIncompleteBodyAndLeavesNoTrace_WhenBodyIsShort(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        foreach (var (declared, actual) in new[] { (100, 99), (2 * 1024 * 1024, (2 * 1024 * 1024) - 1), (2 * 1024 * 1024, 1000) })
        {
            using var body = new MemoryStream(TestData.Random(actual, 1));
            var result = await engine.PutObjectAsync(TestData.Request("b", "k", declared), body, Ct);
            Assert.Equal(EngineStatus.IncompleteBody, result.Status);
        }

        Assert.Null(engine.GetObject("b", "k"));
        Assert.Equal(free, engine.GetStats().FreeBytes);
    }

    /// <summary>
    /// Each chunk is hashed, and each slice written, while the rest of the body still arrives: pieces of any size, across
    /// chunk, slice and staging-buffer boundaries, must give the same bytes, CRCs and ETag as a body read at once.
    /// </summary>
    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutObjectAsync_StoresExactBytes_WhenBodyArrivesInUnevenPieces(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        int[] sizes = [65537, 256 * 1024, (256 * 1024) + 1, (1024 * 1024) - 1, 1024 * 1024, (2 * 1024 * 1024) + 12345, (3 * 1024 * 1024) + 65536];
        var dataKey = RandomNumberGenerator.GetBytes(32);
        foreach (var size in sizes)
        {
            var data = TestData.Random(size, size);
            foreach (var key in new[] { dataKey, null })
            {
                var name = $"k{size}-{key is null}";
                var request = new PutObjectRequest { Bucket = "b", Key = name, ContentLength = size, DataKey = key, ChecksumAlgorithm = ChecksumAlgorithm.Sha256 };
                var put = await engine.PutObjectAsync(request, new UnevenReadStream(data, size), Ct);
                Assert.Equal(EngineStatus.Ok, put.Status);
                Assert.Equal(TestData.Md5Hex(data), put.Object!.ETag);
                Assert.Equal(Checksums.ObjectChecksumHasher.Compute(ChecksumAlgorithm.Sha256, data), put.Object.Checksum);
                await using var open = await engine.OpenObjectVersionAsync("b", name, null, 0, -1, null, key, Ct);
                Assert.Equal(EngineStatus.Ok, open.Status);
                Assert.Equal(data, await TestData.ReadAllAsync(open.Content!));
            }
        }
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task PutObjectAsync_ReturnsIncompleteBodyAndFreesSpace_WhenUnevenBodyEndsMidSlice(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        var data = TestData.Random(3 * 1024 * 1024, 5);
        foreach (var truncateAt in new[] { 300_000, (1024 * 1024) + 700_000, data.Length - 1 })
        {
            var result = await engine.PutObjectAsync(TestData.Request("b", "k", data.Length), new UnevenReadStream(data, truncateAt, truncateAt), Ct);
            Assert.Equal(EngineStatus.IncompleteBody, result.Status);
        }

        Assert.Null(engine.GetObject("b", "k"));
        Assert.Equal(free, engine.GetStats().FreeBytes);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task PutObjectAsync_ReadsOnlyContentLength_WhenBodyIsLonger(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        await harness.Engine.CreateBucketAsync("b", Ct);
        var data = TestData.Random(100_000, 3);
        using var body = new MemoryStream(data);
        var result = await harness.Engine.PutObjectAsync(TestData.Request("b", "k", 70_000), body, Ct);
        Assert.Equal(EngineStatus.Ok, result.Status);
        Assert.Equal(70_000, body.Position);
        Assert.Equal(data.AsSpan(0, 70_000).ToArray(), await harness.Engine.ReadAllAsync("b", "k"));
    }

    [Theory]
    [InlineData(DeviceType.Memory, 100)]
    [InlineData(DeviceType.Memory, 200_000)]
    [InlineData(DeviceType.DirectFile, 200_000)]
    public async Task PutObjectAsync_ReturnsBadDigestAndStoresNothing_WhenMd5Mismatches(DeviceType type, int size)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        var data = TestData.Random(size, 5);
        var wrong = MD5.HashData(data);
        wrong[0] ^= 1;
        using var body = new MemoryStream(data);
        var result = await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = "k", ContentLength = size, ExpectedMd5 = wrong }, body, Ct);
        Assert.Equal(EngineStatus.BadDigest, result.Status);
        Assert.Null(engine.GetObject("b", "k"));
        Assert.Equal(free, engine.GetStats().FreeBytes);

        using var good = new MemoryStream(data);
        var ok = await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = "k", ContentLength = size, ExpectedMd5 = MD5.HashData(data) }, good, Ct);
        Assert.Equal(EngineStatus.Ok, ok.Status);
    }

    [Theory]
    [InlineData(ChecksumAlgorithm.Crc32)]
    [InlineData(ChecksumAlgorithm.Crc32C)]
    [InlineData(ChecksumAlgorithm.Crc64Nvme)]
    [InlineData(ChecksumAlgorithm.Sha1)]
    [InlineData(ChecksumAlgorithm.Sha256)]
    public async Task PutObjectAsync_ComputesAndVerifiesChecksum_ForEachAlgorithm(ChecksumAlgorithm algorithm)
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var data = TestData.Random(300_000, 9);
        var expected = Checksums.ObjectChecksumHasher.Compute(algorithm, data);

        using var first = new MemoryStream(data);
        var computed = await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = "a", ContentLength = data.Length, ChecksumAlgorithm = algorithm }, first, Ct);
        Assert.Equal(EngineStatus.Ok, computed.Status);
        Assert.Equal(expected, computed.Object!.Checksum);
        Assert.Equal(algorithm, engine.GetObject("b", "a")!.ChecksumAlgorithm);
        Assert.Equal(expected, engine.GetObject("b", "a")!.Checksum);

        using var second = new MemoryStream(data);
        var verified = await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = "b", ContentLength = data.Length, ChecksumAlgorithm = algorithm, ExpectedChecksum = expected }, second, Ct);
        Assert.Equal(EngineStatus.Ok, verified.Status);

        var wrong = Convert.FromBase64String(expected);
        wrong[^1] ^= 1;
        using var third = new MemoryStream(data);
        var rejected = await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = "c", ContentLength = data.Length, ChecksumAlgorithm = algorithm, ExpectedChecksum = Convert.ToBase64String(wrong) }, third, Ct);
        Assert.Equal(EngineStatus.BadDigest, rejected.Status);
        Assert.Null(engine.GetObject("b", "c"));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutObjectAsync_StoresMetadataVerbatim_AcrossReopen(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        await harness.Engine.CreateBucketAsync("b", Ct);
        var request = new PutObjectRequest
        {
            Bucket = "b",
            Key = "dir/ключ ✓",
            ContentLength = 3,
            ContentType = "text/plain; charset=utf-8",
            UserMetadata = new Dictionary<string, string> { ["color"] = "blue", ["empty"] = string.Empty },
            SystemMetadata = new Dictionary<string, string> { ["cache-control"] = "max-age=60", ["content-encoding"] = "gzip" },
        };
        using var body = new MemoryStream([1, 2, 3]);
        await harness.Engine.PutObjectAsync(request, body, Ct);
        var engine = await harness.ReopenAsync();
        var record = engine.GetObject("b", "dir/ключ ✓")!;
        Assert.Equal("text/plain; charset=utf-8", record.ContentType);
        Assert.Equal("blue", record.UserMetadata["color"]);
        Assert.Equal(string.Empty, record.UserMetadata["empty"]);
        Assert.Equal("max-age=60", record.SystemMetadata["cache-control"]);
        Assert.Equal("gzip", record.SystemMetadata["content-encoding"]);
        Assert.Equal("null", record.VersionId);
        Assert.Null(record.ChecksumAlgorithm);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutObjectAsync_ReturnsInsufficientStorage_WhenDeviceIsFull(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type, capacity: 4L * 1024 * 1024);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var capacity = engine.GetStats().Capacity;
        var big = TestData.Random((int)capacity - 8192, 1);
        Assert.Equal(EngineStatus.Ok, (await engine.PutAsync("b", "big", big)).Status);
        var tooMuch = await engine.PutAsync("b", "more", TestData.Random(64 * 1024, 2));
        Assert.Equal(EngineStatus.InsufficientStorage, tooMuch.Status);
        Assert.Equal(big, await engine.ReadAllAsync("b", "big"));
        Assert.Equal(EngineStatus.Ok, await engine.DeleteObjectAsync("b", "big", Ct));
        Assert.Equal(EngineStatus.Ok, (await engine.PutAsync("b", "more", TestData.Random(64 * 1024, 2))).Status);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task ListObjects_ReturnsSortedPageAfterStartAfter_WithPrefix(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.CreateBucketAsync("b2", Ct);
        string[] keys = ["a", "a/1", "a/2", "a/3", "b", "é", "z", "a0", "Z"];
        foreach (var key in keys)
        {
            await engine.PutAsync("b", key, [1]);
        }

        await engine.PutAsync("b2", "a/0", [1]);
        var ordinal = keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var all = engine.ListObjects("b", null, null, 1000);
        Assert.Equal(ordinal, all.Objects.Select(o => o.Key));
        Assert.False(all.IsTruncated);

        var page = engine.ListObjects("b", "a/", null, 2);
        Assert.Equal(["a/1", "a/2"], page.Objects.Select(o => o.Key));
        Assert.True(page.IsTruncated);
        var next = engine.ListObjects("b", "a/", "a/2", 2);
        Assert.Equal(["a/3"], next.Objects.Select(o => o.Key));
        Assert.False(next.IsTruncated);

        Assert.Equal(["b", "z", "é"], engine.ListObjects("b", null, "a0", 10).Objects.Select(o => o.Key));
        Assert.Equal(["a/1", "a/2", "a/3"], engine.ListObjects("b", "a/", "a", 10).Objects.Select(o => o.Key));
        Assert.Empty(engine.ListObjects("b", "q", null, 10).Objects);
        Assert.Empty(engine.ListObjects("b", null, null, 0).Objects);
        Assert.Empty(engine.ListObjects("missing", null, null, 10).Objects);
        Assert.Equal(1, engine.ListObjects("b", "a", null, 10).Objects[0].Size);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task OpenObjectAsync_ThrowsChecksumMismatch_WhenDataBlockIsCorrupted(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type, chunkSize: 4096);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var data = TestData.Random(100_000, 11);
        await engine.PutAsync("b", "k", data);
        await engine.PutAsync("b", "ok", TestData.Random(50_000, 12));
        var record = engine.GetObject("b", "k")!;
        var corruptOffset = record.MapToDevice(5 * 4096 + 100, out _);
        harness.CorruptByte(corruptOffset);

        // Bytes before the corrupt chunk are still served; the corrupt chunk is never handed out.
        Assert.Equal(data.AsSpan(0, 4096).ToArray(), await engine.ReadAllAsync("b", "k", 0, 4096));
        await using var open = await engine.OpenObjectAsync("b", "k", 0, -1, Ct);
        var ex = await Assert.ThrowsAsync<ChecksumMismatchException>(() => open.Content!.CopyToAsync(Stream.Null, Ct));
        Assert.Equal("b", ex.Bucket);
        Assert.Equal("k", ex.Key);
        Assert.Equal(5, ex.ChunkIndex);
        Assert.Equal(corruptOffset - 100, ex.DeviceOffset);
        Assert.Equal(1, engine.GetStats().ChecksumFailures);

        var report = await engine.ScrubAsync(Ct);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("b", "k", 5, corruptOffset - 100), (finding.Bucket, finding.Key, finding.ChunkIndex, finding.DeviceOffset));
        Assert.Equal(2, report.ObjectsScanned);
        Assert.Equal(2, engine.GetStats().ChecksumFailures);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutObjectAsync_ReleasesReservation_WhenCancelledMidBody(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        using var cts = new CancellationTokenSource();
        var body = new CancellingStream(TestData.Random(3 * 1024 * 1024, 1), cancelAfter: 1536 * 1024, cts);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.PutObjectAsync(TestData.Request("b", "k", 3 * 1024 * 1024), body, cts.Token));
        Assert.Null(engine.GetObject("b", "k"));
        Assert.Equal(free, engine.GetStats().FreeBytes);
        Assert.Equal(EngineStatus.Ok, (await engine.PutAsync("b", "k", [1, 2])).Status);
    }

    [Fact]
    public async Task PutObjectAsync_ReleasesReservation_WhenDeviceWriteFails()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.FaultInjecting);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        harness.Faults!.FailWriteAfter(1);
        await Assert.ThrowsAsync<IOException>(() => engine.PutAsync("b", "k", TestData.Random(3 * 1024 * 1024, 1)));
        Assert.Null(engine.GetObject("b", "k"));
        Assert.Equal(free, engine.GetStats().FreeBytes);
        var data = TestData.Random(3 * 1024 * 1024, 2);
        Assert.Equal(EngineStatus.Ok, (await engine.PutAsync("b", "k", data)).Status);
        Assert.Equal(data, await engine.ReadAllAsync("b", "k"));
    }

    [Fact]
    public async Task OpenObjectAsync_PropagatesIOException_WhenDeviceReadFails()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.FaultInjecting);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.PutAsync("b", "k", TestData.Random(100_000, 1));
        harness.Faults!.FailReadAfter(0);
        await Assert.ThrowsAsync<IOException>(() => engine.ReadAllAsync("b", "k"));
        Assert.Equal(0, engine.GetStats().ChecksumFailures);
        Assert.Equal(TestData.Random(100_000, 1), await engine.ReadAllAsync("b", "k"));
    }

    [Fact]
    public async Task DisposeAsync_ThenCalls_ThrowObjectDisposed()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await harness.CloseAsync();
        Assert.Throws<ObjectDisposedException>(() => engine.GetObject("b", "k"));
        Assert.Throws<ObjectDisposedException>(() => engine.ListObjects("b", null, null, 10));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => engine.PutAsync("b", "k", [1]));
        await engine.DisposeAsync();
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task OpenObjectAsync_ServesVerifiedPrefix_ThenThrows_WhenLaterChunkIsCorrupt(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var data = TestData.Random(5 * 1024 * 1024, 21);
        await engine.PutAsync("b", "k", data);
        var corruptAt = (3 * 1024 * 1024) + 70_000;
        harness.CorruptByte(engine.GetObject("b", "k")!.MapToDevice(corruptAt, out _));

        await using var open = await engine.OpenObjectAsync("b", "k", 0, -1, Ct);
        var received = new MemoryStream();
        var buffer = new byte[100_000];
        var ex = await Assert.ThrowsAsync<ChecksumMismatchException>(async () =>
        {
            int read;
            while ((read = await open.Content!.ReadAsync(buffer, Ct)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        });
        Assert.Equal(corruptAt / (64 * 1024), ex.ChunkIndex);
        Assert.True(received.Length <= corruptAt / (64 * 1024) * 64 * 1024);
        Assert.True(received.Length >= 3 * 1024 * 1024);
        Assert.Equal(data.AsSpan(0, (int)received.Length).ToArray(), received.ToArray());
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task Content_SupportsSynchronousReads_AndEarlyDispose(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var data = TestData.Random((3 * 1024 * 1024) + 5, 22);
        await engine.PutAsync("b", "k", data);
        await using (var open = await engine.OpenObjectAsync("b", "k", 10, -1, Ct))
        {
            using var copy = new MemoryStream();
            open.Content!.CopyTo(copy);
            Assert.Equal(data.AsSpan(10).ToArray(), copy.ToArray());
        }

        for (var i = 0; i < 3; i++)
        {
            await using var partial = await engine.OpenObjectAsync("b", "k", 0, -1, Ct);
            var head = new byte[1024 * 1024];
            await partial.Content!.ReadExactlyAsync(head, Ct);
        }

        Assert.Equal(EngineStatus.Ok, await engine.DeleteObjectAsync("b", "k", Ct));
        Assert.Equal(engine.GetStats().Capacity, engine.GetStats().FreeBytes);
    }

    [Theory]
    [InlineData(DeviceType.Memory, 100)]
    [InlineData(DeviceType.DirectFile, 300_000)]
    public async Task OpenObjectAsync_ReturnsPreconditionFailed_WhenETagNoLongerMatches(DeviceType type, int size)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var first = (await engine.PutAsync("b", "k", TestData.Random(size, 1))).Object!;
        var second = TestData.Random(size / 2, 2);
        await engine.PutAsync("b", "k", second);

        await using var stale = await engine.OpenObjectAsync("b", "k", 0, -1, first.ETag, Ct);
        Assert.Equal(EngineStatus.PreconditionFailed, stale.Status);
        Assert.Equal(TestData.Md5Hex(second), stale.Object!.ETag);
        Assert.Null(stale.Content);

        await using var fresh = await engine.OpenObjectAsync("b", "k", 0, -1, $"\"{TestData.Md5Hex(second)}\"", Ct);
        Assert.Equal(EngineStatus.Ok, fresh.Status);

        // A range resolved against the old, larger version is clamped instead of throwing.
        await using var beyond = await engine.OpenObjectAsync("b", "k", size - 1, 10, Ct);
        Assert.Equal(EngineStatus.Ok, beyond.Status);
        Assert.Equal(0, beyond.RangeLength);
        Assert.Equal(-1, beyond.Content!.ReadByte());
    }

    [Theory]
    [InlineData(DeviceType.Memory, 100)]
    [InlineData(DeviceType.DirectFile, 300_000)]
    public async Task OpenCurrentAsync_StreamsTheRecordRead_AndFailsThePreconditionOnceItIsReplaced(DeviceType type, int size)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var data = TestData.Random(size, 1);
        await engine.PutAsync("b", "k", data);

        var record = engine.GetObject("b", "k", withData: true)!;
        await using (var opened = await engine.OpenCurrentAsync(record, 3, 50, dataKey: null, Ct))
        {
            Assert.Equal(EngineStatus.Ok, opened.Status);
            Assert.Equal(data.AsSpan(3, 50).ToArray(), await TestData.ReadAllAsync(opened.Content!));
        }

        // Only data in extents can be freed once replaced: that record is refused and the caller resolves again. An inline
        // record is the whole version already read, and serving it is the same as having opened it a moment earlier.
        var replacement = TestData.Random(size / 2, 2);
        await engine.PutAsync("b", "k", replacement);
        await using (var stale = await engine.OpenCurrentAsync(record, 0, -1, dataKey: null, Ct))
        {
            if (record.HasExtents)
            {
                Assert.Equal(EngineStatus.PreconditionFailed, stale.Status);
                Assert.Null(stale.Content);
            }
            else
            {
                Assert.Equal(data, await TestData.ReadAllAsync(stale.Content!));
            }
        }

        await using var fresh = await engine.OpenCurrentAsync(engine.GetObject("b", "k", withData: true)!, 0, -1, dataKey: null, Ct);
        Assert.Equal(replacement, await TestData.ReadAllAsync(fresh.Content!));
    }

    [Fact]
    public async Task OpenCurrentAsync_RefusesARecordReadWithoutItsData()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.PutAsync("b", "k", TestData.Random(100, 1));

        // Read for metadata, an inline record's content is empty: opening it would serve the wrong bytes.
        await Assert.ThrowsAsync<ArgumentException>(() => engine.OpenCurrentAsync(engine.GetObject("b", "k")!, 0, -1, dataKey: null, Ct));
    }

    [Fact]
    public async Task ScrubAsync_HonoursRateLimit_AndCancellation()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.PutAsync("b", "k", TestData.Random(2 * 1024 * 1024, 1));
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var report = await engine.ScrubAsync(maxBytesPerSecond: 8 * 1024 * 1024, Ct);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(150), $"scrub of 2 MiB at 8 MiB/s took {stopwatch.Elapsed}");
        Assert.Equal(2 * 1024 * 1024, report.BytesVerified);
        Assert.Equal(32, report.ChunksVerified);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.ScrubAsync(maxBytesPerSecond: 1024 * 1024, cts.Token));
    }

    [Theory]
    [InlineData(DeviceType.Memory, 100)]
    [InlineData(DeviceType.DirectFile, 200_000)]
    [InlineData(DeviceType.FaultInjecting, 200_000)]
    public async Task PutObjectAsync_HonoursConditions_AtomicallyWithCommit(DeviceType type, int size)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;

        async Task<EngineStatus> PutAsync(string key, byte[] data, string? ifMatch = null, bool ifNoneMatch = false)
        {
            using var body = new MemoryStream(data);
            var request = new PutObjectRequest { Bucket = "b", Key = key, ContentLength = data.Length, IfMatch = ifMatch, IfNoneMatch = ifNoneMatch };
            return (await engine.PutObjectAsync(request, body, Ct)).Status;
        }

        var creators = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => PutAsync("k", TestData.Random(size, i), ifNoneMatch: true), Ct)));
        Assert.Equal(1, creators.Count(s => s == EngineStatus.Ok));
        Assert.Equal(7, creators.Count(s => s == EngineStatus.PreconditionFailed));
        var winner = engine.GetObject("b", "k")!;
        Assert.Equal(free - (winner.Extents.Sum(e => e.Length)), engine.GetStats().FreeBytes);

        Assert.Equal(EngineStatus.PreconditionFailed, await PutAsync("k", TestData.Random(size, 20), ifMatch: "00000000000000000000000000000000"));
        Assert.Equal(EngineStatus.PreconditionFailed, await PutAsync("missing", TestData.Random(size, 21), ifMatch: winner.ETag));
        var replacement = TestData.Random(size, 22);
        Assert.Equal(EngineStatus.Ok, await PutAsync("k", replacement, ifMatch: $"\"{winner.ETag}\""));
        Assert.Equal(replacement, await engine.ReadAllAsync("b", "k"));
        Assert.Null(engine.GetObject("b", "missing"));
    }

    [Fact]
    public async Task ListObjects_VisitsAtMostMaxKeysPlusOne_InLargeBucket()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.CreateBucketAsync("a", Ct);
        await engine.CreateBucketAsync("c", Ct);
        byte[] tiny = [1];
        await Task.WhenAll(Enumerable.Range(0, 600).Select(i => Task.Run(() => engine.PutAsync(i % 2 == 0 ? "b" : (i % 3 == 0 ? "a" : "c"), $"key/{i:D5}", tiny), Ct)));

        var before = engine.ListSteps;
        var page = engine.ListObjects("b", "key/", "key/00300", 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"key/{302 + (2 * i):D5}"), page.Objects.Select(o => o.Key));
        Assert.True(page.IsTruncated);
        Assert.True(engine.ListSteps - before <= 11, $"listing 10 keys took {engine.ListSteps - before} iterator steps");

        before = engine.ListSteps;
        Assert.Single(engine.ListObjects("b", "key/00598", null, 10).Objects);
        Assert.True(engine.ListSteps - before <= 2);
    }

    [Fact]
    public async Task ListObjects_SkipsARunOfDeletedKeysInOneStep_OnceAScanHasCrossedIt_AndStillShowsKeysWrittenInsideItLater()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        byte[] tiny = [1];
        for (var i = 0; i < 100; i++)
        {
            await engine.PutAsync("b", $"key/{i:D5}", tiny);
        }

        for (var i = 0; i < 80; i++)
        {
            Assert.Equal(EngineStatus.Ok, await engine.DeleteObjectAsync("b", $"key/{i:D5}", Ct));
        }

        var before = engine.MemtableEntries;
        Assert.Equal(Enumerable.Range(80, 10).Select(i => $"key/{i:D5}"), engine.ListObjects("b", "key/", null, 10).Objects.Select(o => o.Key));
        Assert.Equal(before + 1, engine.MemtableEntries);

        await engine.PutAsync("b", "key/00040", tiny);
        Assert.Equal(["key/00040", "key/00080"], engine.ListObjects("b", "key/", null, 2).Objects.Select(o => o.Key));
        Assert.Equal(Enumerable.Range(80, 20).Select(i => $"key/{i:D5}"), engine.ListObjects("b", "key/", "key/00040", 100).Objects.Select(o => o.Key));
        Assert.NotNull(engine.GetObject("b", "key/00040"));
        Assert.Null(engine.GetObject("b", "key/00041"));
    }

    private sealed class CancellingStream(byte[] data, int cancelAfter, CancellationTokenSource cts) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= cancelAfter)
            {
                cts.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return base.ReadAsync(buffer, cancellationToken);
        }
    }
}
