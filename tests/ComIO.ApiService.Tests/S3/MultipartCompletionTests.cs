using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// A completion retried after its answer was lost (a dropped connection, an API replica restarting) finds the upload
/// gone; it answers as the first completion did when the key holds exactly the listed parts, and NoSuchUpload otherwise.
/// </summary>
public sealed class MultipartCompletionTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RetriedCompletion_OfTheSameParts_AnswersAsTheFirst_OtherPartsStillGetNoSuchUpload()
    {
        var bucket = await cluster.CreateBucketAsync("mpc");
        var upload = await cluster.S3.InitiateMultipartUploadAsync(bucket, "mp", Ct);
        var part = await cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream("the only part"u8.ToArray()) }, Ct);
        var complete = new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] };

        var first = await cluster.S3.CompleteMultipartUploadAsync(complete, Ct);
        var retried = await cluster.S3.CompleteMultipartUploadAsync(complete, Ct);

        Assert.Equal(HttpStatusCode.OK, retried.HttpStatusCode);
        Assert.Equal(first.ETag, retried.ETag);
        Assert.EndsWith("-1\"", first.ETag, StringComparison.Ordinal);
        var other = new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartETags = [new PartETag(1, "\"0123456789abcdef0123456789abcdef\"")] };
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => cluster.S3.CompleteMultipartUploadAsync(other, Ct));
        Assert.Equal(("NoSuchUpload", HttpStatusCode.NotFound), (refused.ErrorCode, refused.StatusCode));
        using var stored = await cluster.S3.GetObjectAsync(bucket, "mp", Ct);
        using var reader = new StreamReader(stored.ResponseStream);
        Assert.Equal("the only part", await reader.ReadToEndAsync(Ct));
    }
}
