using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Tests.S3.Harness;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// Bucket versioning through the AWS SDK and on the wire: Put/GetBucketVersioning, version ids on writes, GET/HEAD/DELETE
/// by version id, delete markers, the null version of suspended buckets, ListObjectVersions merged across both nodes,
/// DeleteObjects with versions, restoring an old version by copying it.
/// </summary>
public sealed class VersioningTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Body(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private async Task<string> VersionedBucketAsync(string hint, VersionStatus? status = null)
    {
        var bucket = await cluster.CreateBucketAsync(hint);
        await SetVersioningAsync(bucket, status ?? VersionStatus.Enabled);
        return bucket;
    }

    private Task SetVersioningAsync(string bucket, VersionStatus status) =>
        cluster.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = status } }, Ct);

    private async Task<string> PutAsync(string bucket, string key, byte[] data)
    {
        var put = await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) }, Ct);
        return put.VersionId;
    }

    private async Task<byte[]> GetAsync(string bucket, string key, string? versionId = null)
    {
        using var response = await cluster.S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId }, Ct);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy, Ct);
        if (versionId is not null)
        {
            Assert.Equal(versionId, response.VersionId);
        }

        return copy.ToArray();
    }

    private async Task<List<(string Key, string VersionId, bool IsLatest, bool IsDeleteMarker)>> AllVersionsAsync(string bucket, int pageSize = 1000, string? prefix = null)
    {
        var result = new List<(string, string, bool, bool)>();
        var request = new ListVersionsRequest { BucketName = bucket, MaxKeys = pageSize, Prefix = prefix };
        while (true)
        {
            var page = await cluster.S3.ListVersionsAsync(request, Ct);
            Assert.True((page.Versions?.Count ?? 0) <= pageSize);
            result.AddRange((page.Versions ?? []).Select(v => (v.Key, v.VersionId, v.IsLatest ?? false, v.IsDeleteMarker ?? false)));
            if (page.IsTruncated != true)
            {
                return result;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    [Theory]
    [InlineData(40)]
    [InlineData(100)]
    public async Task ListObjectVersions_ReturnsEveryVersionInOrder_InFullPages_WhenOneNodeHoldsNearlyAllKeysOfTheRange(int pageSize)
    {
        // One key elsewhere, then 70 keys on the first node, then three keys elsewhere; two versions per key (the newer
        // of every third key a delete marker). Each node is asked for less than a page, so the merge must be cut at the
        // first node's last key returned, sometimes between two versions of that key, and resumed from there.
        var bucket = await VersionedBucketAsync("vskew");
        var nodes = cluster.ApiServices.GetRequiredService<ClusterNodes>();
        var keys = SkewedKeys.MostlyOnTheFirstNode(nodes, bucket, onFirstNode: 70);

        var expected = new List<(string Key, string VersionId, bool IsLatest, bool IsDeleteMarker)>();
        await Parallel.ForEachAsync(keys.Select((key, index) => (key, index)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (item, ct) =>
        {
            var older = (await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = item.key, ContentBody = "1" }, ct)).VersionId;
            var marker = item.index % 3 == 0;
            var newer = marker
                ? (await cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = item.key }, ct)).VersionId
                : (await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = item.key, ContentBody = "2" }, ct)).VersionId;
            lock (expected)
            {
                expected.Add((item.key, newer, true, marker));
                expected.Add((item.key, older, false, false));
            }
        });
        Assert.InRange(BucketLister.PerNodeEstimate(pageSize + 1, nodes.All.Count), 1, pageSize); // each node is asked for less than a page

        var listed = new List<(string, string, bool, bool)>();
        var request = new ListVersionsRequest { BucketName = bucket, MaxKeys = pageSize };
        while (true)
        {
            var page = await cluster.S3.ListVersionsAsync(request, Ct);
            var versions = page.Versions ?? [];
            listed.AddRange(versions.Select(v => (v.Key, v.VersionId, v.IsLatest ?? false, v.IsDeleteMarker ?? false)));
            if (page.IsTruncated != true)
            {
                break;
            }

            Assert.Equal(pageSize, versions.Count);
            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }

        Assert.Equal(expected.OrderBy(v => v.Key, StringComparer.Ordinal).ThenBy(v => v.IsLatest ? 0 : 1), listed);
    }

    [Fact]
    public async Task Versioning_OverwriteThreeTimesDeleteListGetEachAndRestoreByCopy_IsByteExact()
    {
        var bucket = await cluster.CreateBucketAsync("vf");
        var initial = await cluster.S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, Ct);
        Assert.True(initial.VersioningConfig.Status is null || initial.VersioningConfig.Status.Value == "Off" || string.IsNullOrEmpty(initial.VersioningConfig.Status.Value));
        await SetVersioningAsync(bucket, VersionStatus.Enabled);
        Assert.Equal(VersionStatus.Enabled, (await cluster.S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, Ct)).VersioningConfig.Status);

        byte[][] bodies = [Body(300_000, 1), Body(1, 2), Body(2 * 1024 * 1024 + 7, 3)];
        var ids = new List<string>();
        foreach (var body in bodies)
        {
            ids.Add(await PutAsync(bucket, "doc.bin", body));
        }

        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9_-]{32}$", id));
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(bodies[2], await GetAsync(bucket, "doc.bin"));

        var deleted = await cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc.bin" }, Ct);
        Assert.Equal("true", deleted.DeleteMarker);
        var markerId = deleted.VersionId;
        Assert.Matches("^[A-Za-z0-9_-]{32}$", markerId);

        Assert.Equal(
            [("doc.bin", markerId, true, true), ("doc.bin", ids[2], false, false), ("doc.bin", ids[1], false, false), ("doc.bin", ids[0], false, false)],
            await AllVersionsAsync(bucket));
        var listed = await cluster.S3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket }, Ct);
        Assert.Equal([bodies[2].Length, bodies[1].Length, bodies[0].Length], listed.Versions.Where(v => v.IsDeleteMarker != true).Select(v => v.Size));

        // The current version is a delete marker: 404 NoSuchKey with x-amz-delete-marker; plain listings hide the key.
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => GetAsync(bucket, "doc.bin"));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
        using (var head = await cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/doc.bin"))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
            Assert.Equal("true", S3Wire.Header(head, "x-amz-delete-marker"));
            Assert.Equal(markerId, S3Wire.Header(head, "x-amz-version-id"));
        }

        Assert.Empty((await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct)).S3Objects ?? []);

        // Every version reads back byte-exact by id.
        for (var i = 0; i < bodies.Length; i++)
        {
            Assert.Equal(bodies[i], await GetAsync(bucket, "doc.bin", ids[i]));
            var meta = await cluster.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "doc.bin", VersionId = ids[i] }, Ct);
            Assert.Equal(bodies[i].Length, meta.ContentLength);
            Assert.Equal(ids[i], meta.VersionId);
        }

        // GET/HEAD of the marker by id: 405; malformed id: 400; unknown id: 404 NoSuchVersion.
        using (var markerGet = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/doc.bin", [("versionId", markerId)]))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, markerGet.StatusCode);
            Assert.Equal("true", S3Wire.Header(markerGet, "x-amz-delete-marker"));
            Assert.Contains("<Code>MethodNotAllowed</Code>", await markerGet.Content.ReadAsStringAsync(Ct));
        }

        using (var bad = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/doc.bin", [("versionId", "not-a-version")]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var text = await bad.Content.ReadAsStringAsync(Ct);
            Assert.Contains("<Code>InvalidArgument</Code>", text);
            Assert.Contains("Invalid version id specified", text);
        }

        var unknown = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => GetAsync(bucket, "doc.bin", "U" + new string('0', 31)));
        Assert.Equal("NoSuchVersion", unknown.ErrorCode);

        // Restore the first version by copying it onto the key: a new version with the old bytes.
        var copy = await cluster.S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "doc.bin",
            SourceVersionId = ids[0],
            DestinationBucket = bucket,
            DestinationKey = "doc.bin",
        }, Ct);
        Assert.Equal(ids[0], copy.SourceVersionId);
        Assert.Matches("^[A-Za-z0-9_-]{32}$", copy.VersionId);
        Assert.Equal(bodies[0], await GetAsync(bucket, "doc.bin"));
        Assert.Equal(bodies[0], await GetAsync(bucket, "doc.bin", copy.VersionId));
        Assert.Equal(5, (await AllVersionsAsync(bucket)).Count);

        // Deleting versions by id removes exactly them; deleting the latest makes the previous current.
        var removed = await cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc.bin", VersionId = copy.VersionId }, Ct);
        Assert.Equal(copy.VersionId, removed.VersionId);
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => GetAsync(bucket, "doc.bin"));
        var unmarked = await cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc.bin", VersionId = markerId }, Ct);
        Assert.Equal("true", unmarked.DeleteMarker);
        Assert.Equal(bodies[2], await GetAsync(bucket, "doc.bin"));

        // A bucket with versions is not empty; once every version is gone it can be deleted.
        var notEmpty = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => cluster.S3.DeleteBucketAsync(bucket, Ct));
        Assert.Equal("BucketNotEmpty", notEmpty.ErrorCode);
        foreach (var id in ids)
        {
            await cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc.bin", VersionId = id }, Ct);
        }

        Assert.Empty(await AllVersionsAsync(bucket));
        await cluster.S3.DeleteBucketAsync(bucket, Ct);
    }

    [Fact]
    public async Task SuspendedVersioning_WritesAndDeletesReplaceOnlyTheNullVersion()
    {
        var bucket = await cluster.CreateBucketAsync("vs");
        var unversioned = await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "original" }, Ct);
        Assert.Null(unversioned.VersionId);
        Assert.Null((await cluster.S3.GetObjectMetadataAsync(bucket, "k", Ct)).VersionId);
        await SetVersioningAsync(bucket, VersionStatus.Enabled);
        var v1 = await PutAsync(bucket, "k", Encoding.UTF8.GetBytes("enabled-1"));
        Assert.Equal([("k", v1, true, false), ("k", "null", false, false)], await AllVersionsAsync(bucket));
        Assert.Equal("original", Encoding.UTF8.GetString(await GetAsync(bucket, "k", "null")));

        await SetVersioningAsync(bucket, VersionStatus.Suspended);
        Assert.Equal(VersionStatus.Suspended, (await cluster.S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, Ct)).VersioningConfig.Status);
        // A write while suspended is the null version; S3 answers it without x-amz-version-id, but reads report "null".
        Assert.Null(await PutAsync(bucket, "k", Encoding.UTF8.GetBytes("suspended-1")));
        Assert.Null(await PutAsync(bucket, "k", Encoding.UTF8.GetBytes("suspended-2")));
        Assert.Equal([("k", "null", true, false), ("k", v1, false, false)], await AllVersionsAsync(bucket));
        Assert.Equal("suspended-2", Encoding.UTF8.GetString(await GetAsync(bucket, "k")));
        Assert.Equal("null", (await cluster.S3.GetObjectMetadataAsync(bucket, "k", Ct)).VersionId);
        using (var plain = await cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/never-versioned-check"))
        {
            Assert.Equal(HttpStatusCode.NotFound, plain.StatusCode);
        }
        Assert.Equal("enabled-1", Encoding.UTF8.GetString(await GetAsync(bucket, "k", v1)));

        var deleted = await cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k" }, Ct);
        Assert.Equal("true", deleted.DeleteMarker);
        Assert.Equal("null", deleted.VersionId);
        Assert.Equal([("k", "null", true, true), ("k", v1, false, false)], await AllVersionsAsync(bucket));

        // Removing the null delete marker by id brings v1 back.
        await cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k", VersionId = "null" }, Ct);
        Assert.Equal("enabled-1", Encoding.UTF8.GetString(await GetAsync(bucket, "k")));
    }

    [Fact]
    public async Task ListObjectVersions_PaginatesInS3OrderAcrossBothNodes_WithPrefixAndDelimiter()
    {
        var bucket = await VersionedBucketAsync("vl");
        var keys = Enumerable.Range(0, 10).Select(i => i % 3 == 0 ? $"dir/{i:D2}" : $"k{i:D2}").ToList();
        var expected = new List<(string Key, string VersionId, bool IsLatest, bool IsDeleteMarker)>();
        foreach (var key in keys)
        {
            var versions = new List<(string, string, bool, bool)>();
            for (var v = 0; v < 2; v++)
            {
                versions.Insert(0, (key, await PutAsync(bucket, key, Body(10 + v, v)), false, false));
            }

            if (key.EndsWith('4'))
            {
                var marker = await cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, Ct);
                versions.Insert(0, (key, marker.VersionId, false, true));
            }

            versions[0] = versions[0] with { Item3 = true };
            expected.AddRange(versions);
        }

        expected = [.. expected.OrderBy(v => v.Key, StringComparer.Ordinal)];

        // Keys are spread over both nodes.
        var owners = keys.Select(k => ((ComIO.ApiService.Nodes.ClusterNodes)cluster.ApiServices.GetService(typeof(ComIO.ApiService.Nodes.ClusterNodes))!).OwnerOf(bucket, k).Id).Distinct().Count();
        Assert.Equal(2, owners);

        foreach (var pageSize in new[] { 1, 2, 3, 5, 7, 1000 })
        {
            Assert.Equal(expected, await AllVersionsAsync(bucket, pageSize));
        }

        Assert.Equal(expected.Where(v => v.Key.StartsWith("dir/", StringComparison.Ordinal)), await AllVersionsAsync(bucket, 2, "dir/"));

        var rolled = await cluster.S3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Delimiter = "/" }, Ct);
        Assert.Equal(["dir/"], rolled.CommonPrefixes);
        Assert.DoesNotContain(rolled.Versions, v => v.Key.StartsWith("dir/", StringComparison.Ordinal));
        Assert.Equal(expected.Count(v => !v.Key.StartsWith("dir/", StringComparison.Ordinal)), rolled.Versions.Count);

        using var badMarker = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}", [("versions", ""), ("version-id-marker", "null")]);
        Assert.Equal(HttpStatusCode.BadRequest, badMarker.StatusCode);
    }

    [Fact]
    public async Task DeleteObjects_DeletesNamedVersionsAndCreatesDeleteMarkers()
    {
        var bucket = await VersionedBucketAsync("vd");
        var a1 = await PutAsync(bucket, "a", Body(5, 1));
        var a2 = await PutAsync(bucket, "a", Body(6, 2));
        var b1 = await PutAsync(bucket, "b", Body(7, 3));
        var result = await cluster.S3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [new KeyVersion { Key = "a", VersionId = a1 }, new KeyVersion { Key = "b" }, new KeyVersion { Key = "c", VersionId = "U" + new string('1', 31) }],
        }, Ct);
        Assert.Empty(result.DeleteErrors ?? []);
        var deletedA = result.DeletedObjects.Single(d => d.Key == "a");
        Assert.Equal(a1, deletedA.VersionId);
        Assert.NotEqual(true, deletedA.DeleteMarker);
        var deletedB = result.DeletedObjects.Single(d => d.Key == "b");
        Assert.True(deletedB.DeleteMarker);
        Assert.Matches("^[A-Za-z0-9_-]{32}$", deletedB.DeleteMarkerVersionId);
        Assert.Contains(result.DeletedObjects, d => d.Key == "c");

        Assert.Equal(
            [("a", a2, true, false), ("b", deletedB.DeleteMarkerVersionId, true, true), ("b", b1, false, false)],
            await AllVersionsAsync(bucket));

        // Deleting the marker by id through DeleteObjects reports it as a delete marker.
        var partial = await Assert.ThrowsAsync<DeleteObjectsException>(() => cluster.S3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [new KeyVersion { Key = "b", VersionId = deletedB.DeleteMarkerVersionId }, new KeyVersion { Key = "a", VersionId = "bad" }],
        }, Ct));
        var undelete = partial.Response;
        var unmarked = Assert.Single(undelete.DeletedObjects);
        Assert.True(unmarked.DeleteMarker);
        Assert.Equal(deletedB.DeleteMarkerVersionId, unmarked.DeleteMarkerVersionId);
        Assert.Equal("InvalidArgument", Assert.Single(undelete.DeleteErrors).Code);
        Assert.Equal(Body(7, 3), await GetAsync(bucket, "b"));
    }

    [Fact]
    public async Task ObjectTagging_AppliesToOneVersion_AndMultipartCompleteCreatesAVersion()
    {
        var bucket = await VersionedBucketAsync("vt");
        var v1 = await PutAsync(bucket, "t", Body(10, 1));
        var v2 = await PutAsync(bucket, "t", Body(11, 2));
        await cluster.S3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = bucket, Key = "t", VersionId = v1, Tagging = new Amazon.S3.Model.Tagging { TagSet = [new Tag { Key = "gen", Value = "one" }] } }, Ct);
        var tags1 = await cluster.S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t", VersionId = v1 }, Ct);
        Assert.Equal("one", Assert.Single(tags1.Tagging).Value);
        Assert.Equal(v1, tags1.VersionId);
        Assert.Empty((await cluster.S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t" }, Ct)).Tagging ?? []);
        Assert.Equal(v2, (await cluster.S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "t" }, Ct)).VersionId);

        var upload = await cluster.S3.InitiateMultipartUploadAsync(bucket, "t", Ct);
        var part1 = Body(5 * 1024 * 1024, 3);
        var part2 = Body(100, 4);
        var p1 = await cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "t", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(part1) }, Ct);
        var p2 = await cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "t", UploadId = upload.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) }, Ct);
        var completed = await cluster.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "t",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, p1.ETag), new PartETag(2, p2.ETag)],
        }, Ct);
        Assert.Matches("^[A-Za-z0-9_-]{32}$", completed.VersionId);
        Assert.Equal([completed.VersionId, v2, v1], (await AllVersionsAsync(bucket)).Select(v => v.VersionId));
        Assert.Equal(part1.Concat(part2).ToArray(), await GetAsync(bucket, "t", completed.VersionId));
        Assert.Equal(Body(10, 1), await GetAsync(bucket, "t", v1));
    }

    [Fact]
    public async Task PutBucketVersioning_RejectsMalformedXmlAndMfaDelete()
    {
        var bucket = await cluster.CreateBucketAsync("vx");
        async Task<(HttpStatusCode Status, string Body)> PutAsync(string xml)
        {
            var bytes = Encoding.UTF8.GetBytes(xml);
            using var response = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}", [("versioning", "")], bytes, [("Content-MD5", S3Wire.Md5Base64(bytes))]);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        const string Ns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
        var (status, body) = await PutAsync($"<VersioningConfiguration {Ns}><Status>On</Status></VersioningConfiguration>");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("MalformedXML", body);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync("<VersioningConfiguration")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync($"<Other {Ns}><Status>Enabled</Status></Other>")).Status);
        (status, body) = await PutAsync($"<VersioningConfiguration {Ns}><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>");
        Assert.Equal(HttpStatusCode.NotImplemented, status);
        Assert.Contains("NotImplemented", body);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync($"<VersioningConfiguration {Ns}><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>")).Status);
        Assert.Equal(VersionStatus.Enabled, (await cluster.S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, Ct)).VersioningConfig.Status);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => SetVersioningAsync("no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], VersionStatus.Enabled));
        Assert.Equal("NoSuchBucket", missing.ErrorCode);
    }
}
