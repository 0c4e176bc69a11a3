using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// S3 Object Ownership: BucketOwnerEnforced switches ACLs off (writes refused, existing grants ignored),
/// BucketOwnerPreferred gives the bucket owner objects written with bucket-owner-full-control, ObjectWriter keeps the writer.
/// Buckets are the admin's; the writer is a user allowed by policy to write and read ACLs.
/// </summary>
public sealed class OwnershipControlsTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AdminApiClient Admin => new(cluster.Wire);

    [Fact]
    public async Task OwnershipControls_PutGetDelete_RoundTrips()
    {
        var bucket = await cluster.CreateBucketAsync("ocrt");
        await S3Assert.SdkErrorAsync(() => cluster.S3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket }, Ct), HttpStatusCode.NotFound, "OwnershipControlsNotFoundError");
        foreach (var ownership in new[] { ObjectOwnership.BucketOwnerPreferred, ObjectOwnership.BucketOwnerEnforced, ObjectOwnership.ObjectWriter })
        {
            await PutOwnershipAsync(bucket, ownership);
            Assert.Equal(ownership, await GetOwnershipAsync(bucket));
        }

        await cluster.S3.DeleteBucketOwnershipControlsAsync(new DeleteBucketOwnershipControlsRequest { BucketName = bucket }, Ct);
        await S3Assert.SdkErrorAsync(() => cluster.S3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket }, Ct), HttpStatusCode.NotFound, "OwnershipControlsNotFoundError");
    }

    [Fact]
    public async Task CreateBucket_WithObjectOwnershipHeader_SetsOwnership()
    {
        var bucket = cluster.NewBucketName("ochdr");
        await cluster.S3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectOwnership = ObjectOwnership.BucketOwnerEnforced }, Ct);
        Assert.Equal(ObjectOwnership.BucketOwnerEnforced, await GetOwnershipAsync(bucket));

        var refused = cluster.NewBucketName("ochdr");
        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{refused}", headers: [("x-amz-object-ownership", "BucketOwnerEnforced"), ("x-amz-acl", "public-read")]);
        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidBucketAclWithObjectOwnership");
        using var bogus = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{refused}", headers: [("x-amz-object-ownership", "Everyone")]);
        await S3Assert.ErrorAsync(bogus, HttpStatusCode.BadRequest, "InvalidArgument");
        await S3Assert.SdkErrorAsync(() => cluster.S3.GetBucketLocationAsync(refused, Ct), HttpStatusCode.NotFound, "NoSuchBucket");
    }

    [Fact]
    public async Task BucketOwnerEnforced_RefusesAclWrites_AndExistingGrantsStopGranting()
    {
        var bucket = await cluster.CreateBucketAsync("ocenf");
        var reader = await Admin.CreateUserWithKeyAsync("ocr");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "public", ContentBody = "p", CannedACL = S3CannedACL.PublicRead }, Ct);
        using (var put = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/granted", body: "g"u8.ToArray(), headers: [("x-amz-grant-read", $"id=\"{reader.CanonicalId}\"")]))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var readerS3 = cluster.NewClient(reader.AccessKeyId, reader.SecretKey);
        using var http = new HttpClient { BaseAddress = cluster.Endpoint };
        using (await readerS3.GetObjectAsync(bucket, "granted", Ct))
        {
        }

        using (var before = await http.GetAsync($"/{bucket}/public", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await PutOwnershipAsync(bucket, ObjectOwnership.BucketOwnerEnforced);

        await S3Assert.SdkErrorAsync(() => readerS3.GetObjectAsync(bucket, "granted", Ct), HttpStatusCode.Forbidden, "AccessDenied");
        using (var after = await http.GetAsync($"/{bucket}/public", Ct))
        {
            await S3Assert.ErrorAsync(after, HttpStatusCode.Forbidden, "AccessDenied");
        }

        await S3Assert.SdkErrorAsync(() => cluster.S3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "granted", ACL = S3CannedACL.PublicRead }, Ct), HttpStatusCode.BadRequest, "AccessControlListNotSupported");
        await S3Assert.SdkErrorAsync(() => cluster.S3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.AuthenticatedRead }, Ct), HttpStatusCode.BadRequest, "AccessControlListNotSupported");
        await S3Assert.SdkErrorAsync(() => cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "new", ContentBody = "n", CannedACL = S3CannedACL.PublicRead }, Ct), HttpStatusCode.BadRequest, "AccessControlListNotSupported");
        using (var grant = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/new", body: "n"u8.ToArray(), headers: [("x-amz-grant-read", $"id=\"{reader.CanonicalId}\"")]))
        {
            await S3Assert.ErrorAsync(grant, HttpStatusCode.BadRequest, "AccessControlListNotSupported");
        }

        // bucket-owner-full-control is still accepted, as on S3.
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "bofc", ContentBody = "b", CannedACL = S3CannedACL.BucketOwnerFullControl }, Ct);

        // Switching ACLs back on restores the stored grants.
        await PutOwnershipAsync(bucket, ObjectOwnership.ObjectWriter);
        using (await readerS3.GetObjectAsync(bucket, "granted", Ct))
        {
        }
    }

    [Fact]
    public async Task BucketOwnerPreferred_WithBucketOwnerFullControl_MakesBucketOwnerTheObjectOwner()
    {
        var bucket = await cluster.CreateBucketAsync("ocpref");
        await PutOwnershipAsync(bucket, ObjectOwnership.BucketOwnerPreferred);
        var (writer, bucketOwnerId) = await WriterAsync(bucket);
        using var writerS3 = cluster.NewClient(writer.AccessKeyId, writer.SecretKey);

        await writerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "given", ContentBody = "g", CannedACL = S3CannedACL.BucketOwnerFullControl }, Ct);
        await writerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "kept", ContentBody = "k" }, Ct);

        Assert.Equal(bucketOwnerId, (await cluster.S3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "given" }, Ct)).Owner.Id);
        Assert.Equal(writer.CanonicalId, (await cluster.S3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "kept" }, Ct)).Owner.Id);
    }

    [Fact]
    public async Task BucketOwnerEnforced_MakesBucketOwnerTheOwnerOfExistingObjects()
    {
        var bucket = await cluster.CreateBucketAsync("ocown");
        var (writer, bucketOwnerId) = await WriterAsync(bucket);
        using var writerS3 = cluster.NewClient(writer.AccessKeyId, writer.SecretKey);
        await writerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "w", ContentBody = "w" }, Ct);
        Assert.Equal(writer.CanonicalId, (await cluster.S3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "w" }, Ct)).Owner.Id);

        await PutOwnershipAsync(bucket, ObjectOwnership.BucketOwnerEnforced);
        var acl = await cluster.S3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "w" }, Ct);
        Assert.Equal(bucketOwnerId, acl.Owner.Id);
        var grant = Assert.Single(acl.Grants);
        Assert.Equal(bucketOwnerId, grant.Grantee.CanonicalUser);
        Assert.Equal(S3Permission.FULL_CONTROL, grant.Permission);
    }

    [Fact]
    public async Task ObjectWriter_KeepsWriterAsOwner_EvenWithBucketOwnerFullControl()
    {
        var bucket = await cluster.CreateBucketAsync("ocwrt");
        var (writer, bucketOwnerId) = await WriterAsync(bucket);
        using var writerS3 = cluster.NewClient(writer.AccessKeyId, writer.SecretKey);
        await writerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "w", ContentBody = "w", CannedACL = S3CannedACL.BucketOwnerFullControl }, Ct);

        var acl = (await cluster.S3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "w" }, Ct));
        Assert.Equal(writer.CanonicalId, acl.Owner.Id);
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == bucketOwnerId && g.Permission == S3Permission.FULL_CONTROL);
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == writer.CanonicalId && g.Permission == S3Permission.FULL_CONTROL);
    }

    /// <summary>A user allowed by policy to write objects into <paramref name="bucket"/>; and the bucket owner's canonical id.</summary>
    private async Task<(TestUser Writer, string BucketOwnerId)> WriterAsync(string bucket)
    {
        var writer = await Admin.CreateUserWithKeyAsync("ocw", PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:PutObject", "s3:GetObjectAcl"], [$"arn:aws:s3:::{bucket}/*"])));
        var owner = (await cluster.S3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket }, Ct)).Owner.Id;
        Assert.NotEqual(writer.CanonicalId, owner);
        return (writer, owner);
    }

    private async Task PutOwnershipAsync(string bucket, ObjectOwnership ownership) =>
        await cluster.S3.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ownership }] },
        }, Ct);

    private async Task<ObjectOwnership> GetOwnershipAsync(string bucket) =>
        Assert.Single((await cluster.S3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket }, Ct)).OwnershipControls.Rules).ObjectOwnership;
}
