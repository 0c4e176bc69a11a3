using System.Security.Cryptography;
using System.Text;
using ComIO.Storage.Encryption;
using ComIO.Storage.Metadata;
using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

/// <summary>Encryption at rest in the engine: AES-256-GCM per chunk under a caller-supplied data key.</summary>
public sealed class EncryptionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] Pattern = Encoding.ASCII.GetBytes("COMIO-PLAINTEXT-PATTERN-0123456789-");

    private static byte[] PatternData(int length)
    {
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = Pattern[i % Pattern.Length];
        }

        return data;
    }

    private static async Task<PutObjectResult> PutEncryptedAsync(StorageEngine engine, string key, byte[] data, byte[]? dataKey)
    {
        using var body = new MemoryStream(data);
        return await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = key, ContentLength = data.Length, DataKey = dataKey }, body, Ct);
    }

    private static async Task<byte[]> ReadAsync(StorageEngine engine, string key, byte[]? dataKey, long offset = 0, long length = -1)
    {
        await using var open = await engine.OpenObjectVersionAsync("b", key, null, offset, length, null, dataKey, Ct);
        Assert.Equal(EngineStatus.Ok, open.Status);
        return await TestData.ReadAllAsync(open.Content!);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutObjectAsync_RoundTripsEncryptedData_ForInlineAndExtentSizes(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        int[] sizes = [0, 1, 16 * 1024, (16 * 1024) + 1, 65536, 65537, (1024 * 1024) + 3, (3 * 1024 * 1024) + 12345];
        foreach (var size in sizes)
        {
            var data = TestData.Random(size, size);
            var put = await PutEncryptedAsync(engine, $"k{size}", data, dataKey);
            Assert.Equal(EngineStatus.Ok, put.Status);
            Assert.Equal(TestData.Md5Hex(data), put.Object!.ETag);
            Assert.Equal(size, put.Object.Size);
            Assert.True(put.Object.IsEncrypted);
            Assert.Equal(data, await ReadAsync(engine, $"k{size}", dataKey));
        }

        await harness.ReopenAsync();
        foreach (var size in sizes)
        {
            var data = TestData.Random(size, size);
            Assert.Equal(data, await ReadAsync(harness.Engine, $"k{size}", dataKey));
            Assert.Equal(size, harness.Engine.ListObjects("b", $"k{size}", null, 1).Objects[0].Size);
            if (size > 10)
            {
                // Ranges decrypt only the chunks they touch.
                var offset = size / 3;
                var length = Math.Min(70_000, size - offset);
                Assert.Equal(data.AsSpan(offset, length).ToArray(), await ReadAsync(harness.Engine, $"k{size}", dataKey, offset, length));
            }
        }

        var report = await harness.Engine.ScrubAsync(Ct);
        Assert.Empty(report.Findings);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task Device_HoldsNoPlaintext_OfEncryptedObject_ButDoesOfControlObject(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var data = PatternData(300_000);
        Assert.Equal(EngineStatus.Ok, (await PutEncryptedAsync(engine, "secret", data, RandomNumberGenerator.GetBytes(32))).Status);
        Assert.False(DeviceContains(harness, Pattern), "the plaintext pattern of the encrypted object is on the device");

        Assert.Equal(EngineStatus.Ok, (await PutEncryptedAsync(engine, "clear", data, null)).Status);
        Assert.True(DeviceContains(harness, Pattern), "the control object's plaintext must be found (the check works)");
    }

    private static bool DeviceContains(EngineHarness harness, byte[] pattern)
    {
        if (harness.Type == DeviceType.DirectFile)
        {
            // The engine holds the device with O_DIRECT; read the image through the page cache-free path used by tests.
            using var device = Devices.DirectIoBlockDevice.Open(harness.DevicePath);
            using var buffer = Devices.AlignedBuffer.Allocate(1024 * 1024);
            for (long offset = 0; offset < device.Capacity; offset += buffer.Length)
            {
                var length = (int)Math.Min(buffer.Length, device.Capacity - offset);
                device.ReadAsync(offset, buffer.Memory[..length]).AsTask().GetAwaiter().GetResult();
                if (buffer.Span[..length].IndexOf(pattern) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        return harness.MemoryData.IndexOf(pattern) >= 0;
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task OpenObject_FailsTheRead_WhenAByteOfAnEncryptedChunkIsFlipped(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type, chunkSize: 4096);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var data = TestData.Random(100_000, 7);
        await PutEncryptedAsync(engine, "k", data, dataKey);
        harness.CorruptByte(engine.GetObject("b", "k")!.MapToDevice((3 * 4096) + 17, out _));

        Assert.Equal(data.AsSpan(0, 4096).ToArray(), await ReadAsync(engine, "k", dataKey, 0, 4096));
        await using var open = await engine.OpenObjectVersionAsync("b", "k", null, 0, -1, null, dataKey, Ct);
        var ex = await Assert.ThrowsAsync<ChecksumMismatchException>(() => open.Content!.CopyToAsync(Stream.Null, Ct));
        Assert.Equal(3, ex.ChunkIndex);
    }

    [Fact]
    public async Task OpenObject_FailsAuthentication_WhenCiphertextAndCrcAreBothRewritten()
    {
        // An attacker with device and metadata access who flips a byte and fixes the CRC32C is still caught by AES-GCM.
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory, chunkSize: 4096);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        await PutEncryptedAsync(engine, "k", TestData.Random(50_000, 8), dataKey);
        var record = engine.GetObject("b", "k")!;
        var deviceOffset = record.MapToDevice(2 * 4096, out _);
        harness.CorruptByte(deviceOffset + 5);
        var chunk = harness.MemoryData.Slice((int)deviceOffset, 4096).ToArray();
        var full = await ReadRecordAsync(harness);
        full.ChunkCrcs[2] = Checksums.Crc32C.Compute(chunk);
        await WriteRecordAsync(harness, full);

        await using var open = await harness.Engine.OpenObjectVersionAsync("b", "k", null, 0, -1, null, dataKey, Ct);
        var ex = await Assert.ThrowsAsync<ChecksumMismatchException>(() => open.Content!.CopyToAsync(Stream.Null, Ct));
        Assert.True(ex.IsAuthenticationFailure);
        Assert.Equal(2, ex.ChunkIndex);
    }

    private static async Task<ObjectRecord> ReadRecordAsync(EngineHarness harness)
    {
        await harness.CloseAsync();
        using var store = MetadataStore.Open(harness.MetadataPath);
        return store.GetObject("b", "k")!;
    }

    private static async Task WriteRecordAsync(EngineHarness harness, ObjectRecord record)
    {
        using (var store = MetadataStore.Open(harness.MetadataPath))
        {
            using var batch = new RocksDbSharp.WriteBatch();
            batch.Put(MetadataKeys.Object("b", "k"), RecordSerializer.SerializeObject(record));
            store.Write(batch);
        }

        await harness.OpenAsync();
    }

    [Fact]
    public async Task OpenObject_RefusesEncryptedObject_WithoutKey_AndFailsWithWrongKey()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        await PutEncryptedAsync(engine, "big", TestData.Random(200_000, 1), dataKey);
        await PutEncryptedAsync(engine, "small", TestData.Random(100, 2), dataKey);
        foreach (var key in new[] { "big", "small" })
        {
            await using (var open = await engine.OpenObjectVersionAsync("b", key, null, 0, -1, null, null, Ct))
            {
                Assert.Equal(EngineStatus.EncryptionKeyRequired, open.Status);
                Assert.Null(open.Content);
            }

            await using var wrong = await engine.OpenObjectVersionAsync("b", key, null, 0, -1, null, RandomNumberGenerator.GetBytes(32), Ct);
            var ex = await Assert.ThrowsAsync<ChecksumMismatchException>(() => wrong.Content!.CopyToAsync(Stream.Null, Ct));
            Assert.True(ex.IsAuthenticationFailure);
        }
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task Multipart_EncryptsEveryPart_AndReadsAcrossParts(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var uploadId = await engine.CreateUploadAsync("b", "k");
        var part1 = PatternData((5 * MultipartData.MiB) + 100);
        var part2 = TestData.Random(70_000, 3);
        var replaced = TestData.Random(5 * MultipartData.MiB, 4);

        async Task<string> PutPart(int number, byte[] data)
        {
            using var body = new MemoryStream(data);
            var result = await engine.PutPartAsync(new PutPartRequest { Bucket = "b", Key = "k", UploadId = uploadId, PartNumber = number, ContentLength = data.Length, DataKey = dataKey }, body, Ct);
            Assert.Equal(EngineStatus.Ok, result.Status);
            return result.Part!.ETag;
        }

        await PutPart(1, replaced);
        var e1 = await PutPart(1, part1); // the same part number again: a fresh salt, so no nonce is reused
        var e2 = await PutPart(2, part2);
        var done = await engine.CompleteMultipartUploadAsync("b", "k", uploadId, [new CompletedPart(1, e1), new CompletedPart(2, e2)], Ct);
        Assert.Equal(EngineStatus.Ok, done.Status);
        Assert.True(done.Object!.IsEncrypted);
        Assert.Equal(MultipartData.MultipartETag(part1, part2), done.Object.ETag);

        await harness.ReopenAsync();
        var all = part1.Concat(part2).ToArray();
        Assert.Equal(all, await ReadAsync(harness.Engine, "k", dataKey));
        var start = part1.Length - 1000;
        Assert.Equal(all.AsSpan(start, 5000).ToArray(), await ReadAsync(harness.Engine, "k", dataKey, start, 5000));
        Assert.False(DeviceContains(harness, Pattern));
    }

    [Fact]
    public async Task PutObject_StoresAKeyedETag_WhenOpaqueETagIsAsked_AndStillVerifiesContentMd5()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        foreach (var size in new[] { 100, 200_000 })
        {
            var data = TestData.Random(size, size);
            var md5 = MD5.HashData(data);
            using (var body = new MemoryStream(data))
            {
                var put = await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = $"o{size}", ContentLength = size, DataKey = dataKey, OpaqueETag = true, ExpectedMd5 = md5 }, body, Ct);
                Assert.Equal(EngineStatus.Ok, put.Status);
                Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(dataKey, md5).AsSpan(0, 16)), put.Object!.ETag);
                Assert.NotEqual(TestData.Md5Hex(data), put.Object.ETag);
            }

            using var wrong = new MemoryStream(data);
            var bad = await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = $"x{size}", ContentLength = size, DataKey = dataKey, OpaqueETag = true, ExpectedMd5 = new byte[16] }, wrong, Ct);
            Assert.Equal(EngineStatus.BadDigest, bad.Status);
            Assert.Equal(data, await ReadAsync(engine, $"o{size}", dataKey));
        }
    }

    [Fact]
    public void RecordSerializer_RoundTripsEncryptionSection_AndLeavesClearRecordsUnchanged()
    {
        var encryption = new SegmentEncryption { Salt = Enumerable.Range(1, 16).Select(static i => (byte)i).ToArray(), Tags = Enumerable.Range(0, 32).Select(static i => (byte)(i * 3)).ToArray() };
        static ObjectRecord Record(SegmentEncryption? encryption) => new()
        {
            Bucket = "b",
            Key = "k",
            Size = 70_000,
            ETag = "e",
            LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1),
            Extents = [new Allocation.Extent(8192, 73_728)],
            ChunkSize = 65536,
            ChunkCrcs = [1, 2],
            Encryption = encryption,
        };

        var clearBytes = RecordSerializer.SerializeObject(Record(encryption: null));
        Assert.DoesNotContain((byte)'E', clearBytes.AsSpan(clearBytes.Length - 8).ToArray());
        var encrypted = Record(encryption);
        var bytes = RecordSerializer.SerializeObject(encrypted);

        // 'E' | scheme 1 | 1 segment | present | salt | 2 tags | tags, then the CRC.
        Assert.Equal(clearBytes.Length + 1 + 1 + 4 + 1 + 16 + 4 + 32, bytes.Length);
        var back = RecordSerializer.DeserializeObject("b", "k", bytes);
        Assert.Equal(encryption.Salt, back.Encryption!.Salt);
        Assert.Equal(encryption.Tags, back.Encryption.Tags);
        Assert.True(back.IsEncrypted);
        var listed = RecordSerializer.DeserializeObject("b", "k", bytes, includeData: false);
        Assert.True(listed.IsEncrypted);
        Assert.False(RecordSerializer.DeserializeObject("b", "k", clearBytes).IsEncrypted);
    }
}
