using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Xunit;

namespace ComIO.ApiService.Tests.Faults;

/// <summary>
/// Device faults under the S3 API: the engine's <c>FaultInjectingBlockDevice</c> sits below a real storage node (through
/// the node's test-only <c>IBlockDeviceInterceptor</c> hook) behind the real API service. A failing device gives the
/// client a clean S3 error, never stores half an object and never serves corrupt bytes; the node reports the device in
/// <c>/health</c> and metrics; objects stored before the fault stay readable and intact.
/// </summary>
public sealed class DeviceFaultTests
{
    // Above the 16 KiB inline threshold, so the bytes go to the device and not into the metadata record.
    private const int ObjectSize = 300_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutObject_Returns500AndStoresNothing_WhenDeviceWriteFails()
    {
        await using var site = FaultyDeviceSite.Start();
        var bucket = await CreateBucketAsync(site);
        var before = await PutAsync(site, bucket, "before");
        var used = await site.UsedBytesAsync();
        Assert.Equal("Healthy", (await site.HealthAsync()).Status);

        site.Device.FailWriteAfter(0);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => site.S3.PutObjectAsync(NewPut(bucket, "victim", RandomNumberGenerator.GetBytes(ObjectSize)), Ct));
        AssertServerError(error);

        await AssertAbsentAsync(site, bucket, "victim");
        Assert.Equal(used, await site.UsedBytesAsync()); // the extents reserved for the failed write were released
        Assert.Equal(before, await GetAsync(site, bucket, "before"));
        var (status, devices) = await site.HealthAsync();
        Assert.Equal("Unhealthy", status);
        Assert.True(devices.GetProperty("data").GetProperty("device0.io_errors").GetInt64() >= 1);
        Assert.Contains("write", devices.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(IoErrorMetric.Largest("write") >= 1, "comio.node.device.io_errors{operation=write} must count the failure");
        Assert.Contains("comio_node_device_io_errors", await site.MetricsAsync(), StringComparison.Ordinal);

        // The fault was one write: the device works again and the next PUT of the same key succeeds.
        var after = await PutAsync(site, bucket, "victim");
        Assert.Equal(after, await GetAsync(site, bucket, "victim"));
    }

    [Fact]
    public async Task PutObject_Returns500AndStoresNothing_WhenDeviceFlushFails()
    {
        await using var site = FaultyDeviceSite.Start();
        var bucket = await CreateBucketAsync(site);
        var before = await PutAsync(site, bucket, "before");
        var used = await site.UsedBytesAsync();

        site.Device.FailFlushAfter(0);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => site.S3.PutObjectAsync(NewPut(bucket, "victim", RandomNumberGenerator.GetBytes(ObjectSize)), Ct));
        AssertServerError(error);

        await AssertAbsentAsync(site, bucket, "victim");
        Assert.Equal(used, await site.UsedBytesAsync());
        Assert.Equal(before, await GetAsync(site, bucket, "before"));
        Assert.Equal("Unhealthy", (await site.HealthAsync()).Status);
    }

    [Fact]
    public async Task PutObject_LeavesNoPartialObject_WhenWriteIsTornAndDeviceDies()
    {
        await using var site = FaultyDeviceSite.Start();
        var bucket = await CreateBucketAsync(site);
        var before = await PutAsync(site, bucket, "before");

        site.Device.TearWriteAfter(0, blocksWritten: 3);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => site.S3.PutObjectAsync(NewPut(bucket, "victim", RandomNumberGenerator.GetBytes(ObjectSize)), Ct));
        AssertServerError(error);

        // The device is dead: reads fail cleanly (500), they never return bytes.
        var dead = await Assert.ThrowsAsync<AmazonS3Exception>(() => GetAsync(site, bucket, "before"));
        AssertServerError(dead);
        Assert.Equal("Unhealthy", (await site.HealthAsync()).Status);

        site.Device.SimulateCrash(); // power comes back: unflushed blocks revert, the device works again
        await AssertAbsentAsync(site, bucket, "victim");
        Assert.Equal(before, await GetAsync(site, bucket, "before"));
    }

    [Fact]
    public async Task GetObject_FailsWithoutServingData_WhenDeviceReadFails()
    {
        await using var site = FaultyDeviceSite.Start();
        var bucket = await CreateBucketAsync(site);
        var stored = await PutAsync(site, bucket, "object");

        site.Device.FailReadAfter(0);
        // Either a 500 before any byte (the first chunk is read before the headers) or an aborted body: never the object's
        // bytes with a hole, never a 200 with a complete but wrong body.
        try
        {
            var served = await GetAsync(site, bucket, "object");
            Assert.Fail($"A GET whose device read failed returned {served.Length} bytes.");
        }
        catch (AmazonS3Exception e)
        {
            AssertServerError(e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The response was cut off mid-body: the client knows the object is incomplete.
        }

        var (status, devices) = await site.HealthAsync();
        Assert.Equal("Unhealthy", status);
        Assert.Contains("read", devices.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(IoErrorMetric.Largest("read") >= 1, "comio.node.device.io_errors{operation=read} must count the failure");

        // The fault was one read: the stored object is intact.
        Assert.Equal(stored, await GetAsync(site, bucket, "object"));
    }

    [Fact]
    public async Task PutObject_Returns507InsufficientStorage_WhenDeviceIsFull()
    {
        await using var site = FaultyDeviceSite.Start(deviceBytes: 16L * 1024 * 1024);
        var bucket = await CreateBucketAsync(site);
        var stored = new Dictionary<string, byte[]>();
        AmazonS3Exception? full = null;
        for (var i = 0; i < 40 && full is null; i++)
        {
            var data = RandomNumberGenerator.GetBytes(1024 * 1024);
            try
            {
                await site.S3.PutObjectAsync(NewPut(bucket, $"fill{i:D2}", data), Ct);
                stored[$"fill{i:D2}"] = data;
            }
            catch (AmazonS3Exception e)
            {
                full = e;
            }
        }

        Assert.NotNull(full);
        Assert.Equal((HttpStatusCode)507, full.StatusCode);
        Assert.Equal("InsufficientStorage", full.ErrorCode);
        Assert.NotEmpty(stored);
        await AssertAbsentAsync(site, bucket, $"fill{stored.Count:D2}");

        // A full device is not a failing one, and everything stored before is intact.
        Assert.Equal("Healthy", (await site.HealthAsync()).Status);
        foreach (var (key, data) in stored)
        {
            Assert.Equal(data, await GetAsync(site, bucket, key));
        }

        // Freed space is reused.
        await site.S3.DeleteObjectAsync(bucket, "fill00", Ct);
        await PutAsync(site, bucket, "after-delete", 1024 * 1024);
    }

    private static void AssertServerError(AmazonS3Exception error) =>
        Assert.True(
            (error.StatusCode == HttpStatusCode.InternalServerError && error.ErrorCode == "InternalError")
            || (error.StatusCode == HttpStatusCode.ServiceUnavailable && error.ErrorCode == "SlowDown"),
            $"Expected 500 InternalError or 503 SlowDown, got {(int)error.StatusCode} {error.ErrorCode}");

    private static async Task<string> CreateBucketAsync(FaultyDeviceSite site)
    {
        var bucket = "faults-" + Guid.NewGuid().ToString("N")[..12];
        await site.S3.PutBucketAsync(bucket, Ct);
        return bucket;
    }

    private static PutObjectRequest NewPut(string bucket, string key, byte[] data) =>
        new() { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) };

    private static async Task<byte[]> PutAsync(FaultyDeviceSite site, string bucket, string key, int size = ObjectSize)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        await site.S3.PutObjectAsync(NewPut(bucket, key, data), Ct);
        return data;
    }

    private static async Task<byte[]> GetAsync(FaultyDeviceSite site, string bucket, string key)
    {
        using var response = await site.S3.GetObjectAsync(bucket, key, Ct);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    private static async Task AssertAbsentAsync(FaultyDeviceSite site, string bucket, string key)
    {
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => site.S3.GetObjectMetadataAsync(bucket, key, Ct));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var listed = await site.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.DoesNotContain(key, (listed.S3Objects ?? []).Select(o => o.Key));
    }
}
