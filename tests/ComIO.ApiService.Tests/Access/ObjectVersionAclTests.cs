using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// GetObjectAcl / PutObjectAcl of a specific version (<c>?acl&amp;versionId=</c>): the ACL of that version only, its data
/// untouched, authorized as <c>s3:GetObjectVersionAcl</c> / <c>s3:PutObjectVersionAcl</c>, and the S3 errors for a
/// delete marker or an unknown version.
/// </summary>
public sealed class ObjectVersionAclTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AdminApiClient Admin => new(cluster.Wire);

    private async Task<(string Bucket, string First, string Second)> TwoVersionsAsync(string hint)
    {
        var bucket = await cluster.CreateBucketAsync(hint);
        await cluster.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, Ct);
        var first = (await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc", ContentBody = "first" }, Ct)).VersionId;
        var second = (await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc", ContentBody = "second" }, Ct)).VersionId;
        return (bucket, first, second);
    }

    private static bool IsPublicRead(GetObjectAclResponse acl) =>
        acl.Grants.Any(g => g.Grantee.URI == "http://acs.amazonaws.com/groups/global/AllUsers" && g.Permission == S3Permission.READ);

    [Fact]
    public async Task PutObjectAcl_WithVersionId_ChangesOnlyThatVersion()
    {
        var (bucket, first, second) = await TwoVersionsAsync("vacl");
        var before = await cluster.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "doc", VersionId = first }, Ct);

        await cluster.S3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "doc", VersionId = first, ACL = S3CannedACL.PublicRead }, Ct);

        Assert.True(IsPublicRead(await cluster.S3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc", VersionId = first }, Ct)));
        Assert.False(IsPublicRead(await cluster.S3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc", VersionId = second }, Ct)));
        Assert.False(IsPublicRead(await cluster.S3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc" }, Ct)));

        // The version's data, ETag and Last-Modified are untouched, and it is still not the current version.
        var after = await cluster.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "doc", VersionId = first }, Ct);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.LastModified, after.LastModified);
        using (var current = await cluster.S3.GetObjectAsync(bucket, "doc", Ct))
        {
            Assert.Equal(second, current.VersionId);
            Assert.Equal("second", await new StreamReader(current.ResponseStream).ReadToEndAsync(Ct));
        }

        // The grant is effective for that version only: anonymous callers read it, not the others.
        using var http = new HttpClient { BaseAddress = cluster.Endpoint };
        using (var open = await http.GetAsync($"/{bucket}/doc?versionId={first}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
            Assert.Equal("first", await open.Content.ReadAsStringAsync(Ct));
        }

        using (var closed = await http.GetAsync($"/{bucket}/doc?versionId={second}", Ct))
        {
            await S3Assert.ErrorAsync(closed, HttpStatusCode.Forbidden, "AccessDenied");
        }

        using (var current = await http.GetAsync($"/{bucket}/doc", Ct))
        {
            await S3Assert.ErrorAsync(current, HttpStatusCode.Forbidden, "AccessDenied");
        }

        // Back to private.
        await cluster.S3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "doc", VersionId = first, ACL = S3CannedACL.Private }, Ct);
        Assert.False(IsPublicRead(await cluster.S3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc", VersionId = first }, Ct)));
        using var revoked = await http.GetAsync($"/{bucket}/doc?versionId={first}", Ct);
        await S3Assert.ErrorAsync(revoked, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task ObjectAclWithVersionId_OfDeleteMarkerOrUnknownVersion_FailsAsS3()
    {
        var (bucket, _, _) = await TwoVersionsAsync("vacl-err");
        var marker = (await cluster.S3.DeleteObjectAsync(bucket, "doc", Ct)).VersionId;
        var unknown = "U" + new string('0', 31);

        using (var get = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/doc", query: [("acl", ""), ("versionId", marker)]))
        {
            await S3Assert.ErrorAsync(get, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
        }

        using (var put = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/doc", query: [("acl", ""), ("versionId", marker)], headers: [("x-amz-acl", "public-read")]))
        {
            await S3Assert.ErrorAsync(put, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
        }

        using (var get = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/doc", query: [("acl", ""), ("versionId", unknown)]))
        {
            await S3Assert.ErrorAsync(get, HttpStatusCode.NotFound, "NoSuchVersion");
        }

        using var putUnknown = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/doc", query: [("acl", ""), ("versionId", unknown)], headers: [("x-amz-acl", "public-read")]);
        await S3Assert.ErrorAsync(putUnknown, HttpStatusCode.NotFound, "NoSuchVersion");
    }

    [Fact]
    public async Task ObjectAclWithVersionId_IsAuthorizedAsTheVersionAclActions()
    {
        var (bucket, first, _) = await TwoVersionsAsync("vacl-iam");
        var resource = $"arn:aws:s3:::{bucket}/*";
        var versionAcl = await Admin.CreateUserWithKeyAsync("vacl", PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:GetObjectVersionAcl", "s3:PutObjectVersionAcl"], [resource])));
        var currentAcl = await Admin.CreateUserWithKeyAsync("cacl", PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:GetObjectAcl", "s3:PutObjectAcl"], [resource])));
        using var versionS3 = cluster.NewClient(versionAcl.AccessKeyId, versionAcl.SecretKey);
        using var currentS3 = cluster.NewClient(currentAcl.AccessKeyId, currentAcl.SecretKey);

        await versionS3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc", VersionId = first }, Ct);
        await versionS3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "doc", VersionId = first, ACL = S3CannedACL.PublicRead }, Ct);
        await S3Assert.SdkErrorAsync(() => versionS3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc" }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => versionS3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "doc", ACL = S3CannedACL.PublicRead }, Ct), HttpStatusCode.Forbidden, "AccessDenied");

        await currentS3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc" }, Ct);
        await S3Assert.SdkErrorAsync(() => currentS3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc", VersionId = first }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => currentS3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "doc", VersionId = first, ACL = S3CannedACL.Private }, Ct), HttpStatusCode.Forbidden, "AccessDenied");

        // Only the version-ACL user's change landed: the version is public, the current one is not.
        Assert.True(IsPublicRead(await cluster.S3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc", VersionId = first }, Ct)));
        Assert.False(IsPublicRead(await cluster.S3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc" }, Ct)));
    }
}
