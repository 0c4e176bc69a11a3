using ComIO.ApiService.Authorization;
using Xunit;

namespace ComIO.ApiService.Tests.Authorization;

public sealed class S3ActionsVersioningTests
{
    [Theory]
    [InlineData("GetObject", false, "s3:GetObject")]
    [InlineData("GetObject", true, "s3:GetObjectVersion")]
    [InlineData("HeadObject", true, "s3:GetObjectVersion")]
    [InlineData("DeleteObject", false, "s3:DeleteObject")]
    [InlineData("DeleteObject", true, "s3:DeleteObjectVersion")]
    [InlineData("GetObjectTagging", true, "s3:GetObjectVersionTagging")]
    [InlineData("PutObjectTagging", true, "s3:PutObjectVersionTagging")]
    [InlineData("DeleteObjectTagging", true, "s3:DeleteObjectVersionTagging")]
    [InlineData("PutObject", true, "s3:PutObject")]
    [InlineData("ListObjectVersions", false, "s3:ListBucketVersions")]
    [InlineData("PutBucketVersioning", false, "s3:PutBucketVersioning")]
    [InlineData("GetBucketVersioning", false, "s3:GetBucketVersioning")]
    public void For_MapsOperationToAction_WithAndWithoutVersionId(string operation, bool namesVersion, string expected)
    {
        Assert.Equal(expected, S3Actions.For(operation, namesVersion)!.Name);
    }
}
