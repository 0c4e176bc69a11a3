using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// ACLs between users: the bucket is owned by a user (<c>owner</c>) who may only create buckets by policy; a second user
/// (<c>reader</c>) has no policy at all, so only ACL grants let it in. Anonymous callers read only what is public.
/// </summary>
public sealed class AclTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AdminApiClient Admin => new(cluster.Wire);

    [Fact]
    public async Task GrantReadHeader_LetsSecondUserRead_OnlyTheGrantedObject()
    {
        var (owner, reader, bucket) = await OwnerReaderAndBucketAsync();
        using var ownerWire = Wire(owner);
        using (var put = await ownerWire.SendAsync(HttpMethod.Put, $"/{bucket}/granted", body: "g"u8.ToArray(), headers: [("x-amz-grant-read", $"id=\"{reader.CanonicalId}\"")]))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var put = await ownerWire.SendAsync(HttpMethod.Put, $"/{bucket}/private", body: "p"u8.ToArray()))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var readerWire = Wire(reader);
        using (var granted = await readerWire.SendAsync(HttpMethod.Get, $"/{bucket}/granted"))
        {
            Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
            Assert.Equal("g", await granted.Content.ReadAsStringAsync(Ct));
        }

        using (var denied = await readerWire.SendAsync(HttpMethod.Get, $"/{bucket}/private"))
        {
            await S3Assert.ErrorAsync(denied, HttpStatusCode.Forbidden, "AccessDenied");
        }

        // READ on the object is not WRITE on the bucket, nor READ_ACP on the object.
        using (var write = await readerWire.SendAsync(HttpMethod.Put, $"/{bucket}/granted", body: "x"u8.ToArray()))
        {
            await S3Assert.ErrorAsync(write, HttpStatusCode.Forbidden, "AccessDenied");
        }

        using var acl = await readerWire.SendAsync(HttpMethod.Get, $"/{bucket}/granted", query: [("acl", "")]);
        await S3Assert.ErrorAsync(acl, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task PutObjectAcl_GrantsAndRevokesRead_AndGetObjectAclRoundTrips()
    {
        var (owner, reader, bucket) = await OwnerReaderAndBucketAsync();
        using var ownerS3 = cluster.NewClient(owner.AccessKeyId, owner.SecretKey);
        using var readerS3 = cluster.NewClient(reader.AccessKeyId, reader.SecretKey);
        await ownerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc", ContentBody = "doc" }, Ct);
        await S3Assert.SdkErrorAsync(() => readerS3.GetObjectAsync(bucket, "doc", Ct), HttpStatusCode.Forbidden, "AccessDenied");

        await ownerS3.PutObjectAclAsync(new PutObjectAclRequest
        {
            BucketName = bucket,
            Key = "doc",
            AccessControlPolicy = new S3AccessControlList
            {
                Owner = new Owner { Id = owner.CanonicalId, DisplayName = owner.Name },
                Grants =
                [
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = owner.CanonicalId }, Permission = S3Permission.FULL_CONTROL },
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = reader.CanonicalId }, Permission = S3Permission.READ },
                ],
            },
        }, Ct);

        var acl = (await ownerS3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc" }, Ct));
        Assert.Equal(owner.CanonicalId, acl.Owner.Id);
        Assert.Equal(owner.Name, acl.Owner.DisplayName);
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == reader.CanonicalId && g.Permission == S3Permission.READ);
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == owner.CanonicalId && g.Permission == S3Permission.FULL_CONTROL);
        using (var read = await readerS3.GetObjectAsync(bucket, "doc", Ct))
        {
            Assert.Equal("doc", await new StreamReader(read.ResponseStream).ReadToEndAsync(Ct));
        }

        await ownerS3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "doc", ACL = S3CannedACL.Private }, Ct);
        await S3Assert.SdkErrorAsync(() => readerS3.GetObjectAsync(bucket, "doc", Ct), HttpStatusCode.Forbidden, "AccessDenied");
        var privateAcl = (await ownerS3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "doc" }, Ct));
        Assert.Equal(owner.CanonicalId, Assert.Single(privateAcl.Grants).Grantee.CanonicalUser);
    }

    [Fact]
    public async Task EmailGrantee_NamesTheUser()
    {
        var (owner, reader, bucket) = await OwnerReaderAndBucketAsync();
        using var ownerWire = Wire(owner);
        using (var put = await ownerWire.SendAsync(HttpMethod.Put, $"/{bucket}/mailed", body: "m"u8.ToArray(), headers: [("x-amz-grant-read", $"emailAddress=\"{reader.Name}\"")]))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var readerS3 = cluster.NewClient(reader.AccessKeyId, reader.SecretKey);
        using (await readerS3.GetObjectAsync(bucket, "mailed", Ct))
        {
        }

        using var ownerS3 = cluster.NewClient(owner.AccessKeyId, owner.SecretKey);
        var acl = (await ownerS3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "mailed" }, Ct));
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == reader.CanonicalId && g.Permission == S3Permission.READ);

        // An e-mail address that names no user is refused.
        using var unknown = await ownerWire.SendAsync(HttpMethod.Put, $"/{bucket}/nobody", body: "n"u8.ToArray(), headers: [("x-amz-grant-read", "emailAddress=\"nobody@example.com\"")]);
        await S3Assert.ErrorAsync(unknown, HttpStatusCode.BadRequest, "UnresolvableGrantByEmailAddress");
    }

    [Fact]
    public async Task PublicReadObject_IsReadableAnonymously_PrivateIsNot()
    {
        var (owner, _, bucket) = await OwnerReaderAndBucketAsync();
        using var ownerS3 = cluster.NewClient(owner.AccessKeyId, owner.SecretKey);
        await ownerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "public", ContentBody = "everyone", CannedACL = S3CannedACL.PublicRead }, Ct);
        await ownerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "private", ContentBody = "me" }, Ct);
        using var http = new HttpClient { BaseAddress = cluster.Endpoint };

        using (var open = await http.GetAsync($"/{bucket}/public", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
            Assert.Equal("everyone", await open.Content.ReadAsStringAsync(Ct));
        }

        using (var closed = await http.GetAsync($"/{bucket}/private", Ct))
        {
            await S3Assert.ErrorAsync(closed, HttpStatusCode.Forbidden, "AccessDenied");
        }

        // public-read grants reading only: no anonymous listing, writing or deleting.
        using (var list = await http.GetAsync($"/{bucket}?list-type=2", Ct))
        {
            await S3Assert.ErrorAsync(list, HttpStatusCode.Forbidden, "AccessDenied");
        }

        using (var write = await http.PutAsync($"/{bucket}/public", new ByteArrayContent("vandal"u8.ToArray()), Ct))
        {
            await S3Assert.ErrorAsync(write, HttpStatusCode.Forbidden, "AccessDenied");
        }

        using (var delete = await http.DeleteAsync($"/{bucket}/public", Ct))
        {
            await S3Assert.ErrorAsync(delete, HttpStatusCode.Forbidden, "AccessDenied");
        }

        using var still = await http.GetAsync($"/{bucket}/public", Ct);
        Assert.Equal("everyone", await still.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task AnonymousList_WorksOnlyOnPublicReadBucket()
    {
        var (owner, _, bucket) = await OwnerReaderAndBucketAsync();
        using var ownerS3 = cluster.NewClient(owner.AccessKeyId, owner.SecretKey);
        await ownerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "k" }, Ct);
        using var http = new HttpClient { BaseAddress = cluster.Endpoint };
        using (var closed = await http.GetAsync($"/{bucket}?list-type=2", Ct))
        {
            await S3Assert.ErrorAsync(closed, HttpStatusCode.Forbidden, "AccessDenied");
        }

        await ownerS3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.PublicRead }, Ct);
        using (var open = await http.GetAsync($"/{bucket}?list-type=2", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
            Assert.Contains("<Key>k</Key>", await open.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // A public-read bucket does not make its private objects readable.
        using (var objectGet = await http.GetAsync($"/{bucket}/k", Ct))
        {
            await S3Assert.ErrorAsync(objectGet, HttpStatusCode.Forbidden, "AccessDenied");
        }

        // Nor does it let anonymous callers read or change its ACL.
        using var aclGet = await http.GetAsync($"/{bucket}?acl", Ct);
        await S3Assert.ErrorAsync(aclGet, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task BucketAcl_RoundTripsThroughSdk_AndGrantsListingAndWriting()
    {
        var (owner, reader, bucket) = await OwnerReaderAndBucketAsync();
        using var ownerS3 = cluster.NewClient(owner.AccessKeyId, owner.SecretKey);
        using var readerS3 = cluster.NewClient(reader.AccessKeyId, reader.SecretKey);
        await S3Assert.SdkErrorAsync(() => readerS3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct), HttpStatusCode.Forbidden, "AccessDenied");

        var initial = (await ownerS3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket }, Ct));
        Assert.Equal(owner.CanonicalId, initial.Owner.Id);
        Assert.Equal(S3Permission.FULL_CONTROL, Assert.Single(initial.Grants).Permission);

        await ownerS3.PutBucketAclAsync(new PutBucketAclRequest
        {
            BucketName = bucket,
            AccessControlPolicy = new S3AccessControlList
            {
                Owner = new Owner { Id = owner.CanonicalId, DisplayName = owner.Name },
                Grants =
                [
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = owner.CanonicalId }, Permission = S3Permission.FULL_CONTROL },
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = reader.CanonicalId }, Permission = S3Permission.READ },
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = reader.CanonicalId }, Permission = S3Permission.WRITE },
                ],
            },
        }, Ct);

        var acl = (await ownerS3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket }, Ct));
        Assert.Equal(3, acl.Grants.Count);
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == reader.CanonicalId && g.Permission == S3Permission.WRITE);

        await readerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "from-reader", ContentBody = "r" }, Ct);
        var listed = await readerS3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Equal(["from-reader"], listed.S3Objects.Select(o => o.Key));

        // The writer owns what it wrote (ObjectWriter, the default).
        var objectAcl = (await readerS3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "from-reader" }, Ct));
        Assert.Equal(reader.CanonicalId, objectAcl.Owner.Id);

        // READ and WRITE on the bucket are not WRITE_ACP.
        await S3Assert.SdkErrorAsync(() => readerS3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.PublicRead }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task AuthenticatedUsersGroupGrant_LetsAnyUserRead_ButNotAnonymous()
    {
        var (owner, reader, bucket) = await OwnerReaderAndBucketAsync();
        using var ownerS3 = cluster.NewClient(owner.AccessKeyId, owner.SecretKey);
        await ownerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "auth", ContentBody = "a", CannedACL = S3CannedACL.AuthenticatedRead }, Ct);
        using var readerS3 = cluster.NewClient(reader.AccessKeyId, reader.SecretKey);
        using (await readerS3.GetObjectAsync(bucket, "auth", Ct))
        {
        }

        using var http = new HttpClient { BaseAddress = cluster.Endpoint };
        using var anonymous = await http.GetAsync($"/{bucket}/auth", Ct);
        await S3Assert.ErrorAsync(anonymous, HttpStatusCode.Forbidden, "AccessDenied");
    }

    private S3Wire Wire(TestUser user) => new(cluster.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region);

    /// <summary>A bucket created by <c>owner</c> (who may only create buckets) and a <c>reader</c> without any policy.</summary>
    private async Task<(TestUser Owner, TestUser Reader, string Bucket)> OwnerReaderAndBucketAsync()
    {
        var owner = await Admin.CreateUserWithKeyAsync("own", PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:CreateBucket"], ["*"])));
        var reader = await Admin.CreateUserWithKeyAsync("rdr");
        var bucket = cluster.NewBucketName("acl");
        using var ownerS3 = cluster.NewClient(owner.AccessKeyId, owner.SecretKey);
        await ownerS3.PutBucketAsync(bucket, Ct);
        return (owner, reader, bucket);
    }
}
