using ComIO.ApiService.Authentication;
using ComIO.ApiService.Protocol.Errors;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace ComIO.ApiService.Tests.Authentication;

/// <summary>Golden tests: the signatures AWS publishes in the S3 API reference must verify, and small changes must not.</summary>
public sealed class SigV4DocumentationExamplesTests
{
    public static TheoryData<string> HeaderExamples => ["GetObject", "PutObject", "GetBucketLifecycle", "ListObjects"];

    [Theory]
    [MemberData(nameof(HeaderExamples))]
    public void Authenticate_AwsHeaderExample_Verifies(string name)
    {
        var result = AwsDocumentationExamples.Authenticator().Authenticate(Example(name));

        Assert.False(result.IsAnonymous);
        Assert.Equal(AwsDocumentationExamples.AccessKey, result.AccessKeyId);
        Assert.Equal("us-east-1", result.Region);
        Assert.Equal(AwsDocumentationExamples.Time, result.SignedAt);
        Assert.Equal(PayloadMode.SignedSha256, result.Payload);
    }

    [Fact]
    public void Authenticate_AwsPutObjectExample_ExposesExpectedPayloadHash()
    {
        var result = AwsDocumentationExamples.Authenticator().Authenticate(AwsDocumentationExamples.PutObject());

        Assert.Equal("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", result.ExpectedPayloadSha256);
    }

    [Theory]
    [MemberData(nameof(HeaderExamples))]
    public void Authenticate_AwsHeaderExampleWithWrongSecret_ThrowsSignatureDoesNotMatch(string name)
    {
        var authenticator = new SigV4Authenticator(
            new InMemoryCredentialStore([new(AwsDocumentationExamples.AccessKey, "wrong")]),
            new FixedTimeProvider(AwsDocumentationExamples.Time),
            new SigV4Options());

        var error = Assert.Throws<S3Exception>(() => authenticator.Authenticate(Example(name)));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Fact]
    public void Authenticate_AwsPresignedExample_Verifies()
    {
        var result = AwsDocumentationExamples.Authenticator(AwsDocumentationExamples.Time.AddHours(23)).Authenticate(AwsDocumentationExamples.PresignedGet());

        Assert.True(result.IsPresigned);
        Assert.Equal(PayloadMode.Unsigned, result.Payload);
    }

    [Fact]
    public void Authenticate_AwsPresignedExampleAfterExpiry_ThrowsAccessDenied()
    {
        var authenticator = AwsDocumentationExamples.Authenticator(AwsDocumentationExamples.Time.AddSeconds(86401));

        var error = Assert.Throws<S3Exception>(() => authenticator.Authenticate(AwsDocumentationExamples.PresignedGet()));

        Assert.Equal(S3ErrorCode.AccessDenied, error.Error);
        Assert.Equal("Request has expired", error.Message);
    }

    [Fact]
    public void Authenticate_AwsPresignedExampleWithUpperCaseSignatureChanged_ThrowsSignatureDoesNotMatch()
    {
        var error = Assert.Throws<S3Exception>(() => AwsDocumentationExamples.Authenticator().Authenticate(
            AwsDocumentationExamples.PresignedGet("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d405")));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Fact]
    public void Authenticate_AwsChunkedExample_ReturnsSeedSignatureContext()
    {
        var result = AwsDocumentationExamples.Authenticator().Authenticate(AwsDocumentationExamples.ChunkedPut());

        Assert.Equal(PayloadMode.StreamingSigned, result.Payload);
        Assert.Equal(66560, result.DecodedContentLength);
        Assert.NotNull(result.Streaming);
        Assert.Equal(AwsDocumentationExamples.ChunkedSeedSignature, result.Streaming.SeedSignature);
        Assert.Equal("20130524/us-east-1/s3/aws4_request", result.Streaming.Scope);
        Assert.False(result.Streaming.HasTrailer);
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host", "AuthorizationHeaderMalformed")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3,SignedHeaders=host,Signature=00", "AuthorizationHeaderMalformed")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/ec2/aws4_request,SignedHeaders=host,Signature=00", "AuthorizationHeaderMalformed")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=00", "AuthorizationHeaderMalformed")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=x-amz-date,Signature=00", "AuthorizationHeaderMalformed")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=Host,Signature=00", "AuthorizationHeaderMalformed")]
    [InlineData("AWS4-HMAC-SHA256 Credential=NOBODY/20130524/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=00", "InvalidAccessKeyId")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=00", "SignatureDoesNotMatch")]
    [InlineData("AWS4-ECDSA-P256-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/s3/aws4_request,SignedHeaders=host,Signature=00", "InvalidRequest")]
    [InlineData("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", "InvalidRequest")]
    [InlineData("Bearer token", "InvalidRequest")]
    public void Authenticate_MalformedAuthorizationHeader_ThrowsMatchingError(string authorization, string expectedCode)
    {
        var context = CapturedRequest.Build(
            "GET",
            "/test.txt",
            ("Host", "examplebucket.s3.amazonaws.com"),
            ("x-amz-content-sha256", AwsDocumentationExamples.EmptySha256),
            ("x-amz-date", "20130524T000000Z"),
            ("Authorization", authorization));

        var error = Assert.Throws<S3Exception>(() => AwsDocumentationExamples.Authenticator().Authenticate(context));

        Assert.Equal(expectedCode, error.Error.Code);
    }

    [Theory]
    [InlineData("x-amz-content-sha256", "MissingSecurityHeader")]
    [InlineData("x-amz-date", "AccessDenied")]
    public void Authenticate_RequiredHeaderMissing_ThrowsMatchingError(string header, string expectedCode)
    {
        var context = AwsDocumentationExamples.GetObject();
        context.Request.Headers.Remove(header);

        var error = Assert.Throws<S3Exception>(() => AwsDocumentationExamples.Authenticator().Authenticate(context));

        Assert.Equal(expectedCode, error.Error.Code);
    }

    [Fact]
    public void Authenticate_InvalidContentSha256_ThrowsInvalidArgument()
    {
        var context = AwsDocumentationExamples.GetObject();
        context.Request.Headers["x-amz-content-sha256"] = "not-a-hash";

        var error = Assert.Throws<S3Exception>(() => AwsDocumentationExamples.Authenticator().Authenticate(context));

        Assert.Equal(S3ErrorCode.InvalidArgument, error.Error);
    }

    [Fact]
    public void Authenticate_HeaderAndQueryCredentials_ThrowsInvalidArgument()
    {
        var context = AwsDocumentationExamples.PresignedGet();
        context.Request.Headers.Authorization = AwsDocumentationExamples.AuthorizationHeader("host", new string('0', 64));

        var error = Assert.Throws<S3Exception>(() => AwsDocumentationExamples.Authenticator().Authenticate(context));

        Assert.Equal(S3ErrorCode.InvalidArgument, error.Error);
    }

    [Theory]
    [InlineData("X-Amz-Expires=86400", "X-Amz-Expires=0")]
    [InlineData("X-Amz-Expires=86400", "X-Amz-Expires=604801")]
    [InlineData("X-Amz-Expires=86400", "X-Amz-Expires=-5")]
    [InlineData("X-Amz-Expires=86400&", "")]
    [InlineData("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1")]
    [InlineData("X-Amz-Date=20130524T000000Z", "X-Amz-Date=2013-05-24")]
    [InlineData("X-Amz-Date=20130524T000000Z", "X-Amz-Date=20130525T000000Z")]
    [InlineData("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host&X-Amz-SignedHeaders=host")]
    [InlineData("%2Fs3%2F", "%2Fiam%2F")]
    public void Authenticate_MalformedPresignedQuery_ThrowsAuthorizationQueryParametersError(string find, string replace)
    {
        var context = AwsDocumentationExamples.PresignedGet();
        var feature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!;
        feature.RawTarget = feature.RawTarget.Replace(find, replace, StringComparison.Ordinal);

        var error = Assert.Throws<S3Exception>(() => AwsDocumentationExamples.Authenticator().Authenticate(context));

        Assert.Equal(S3ErrorCode.AuthorizationQueryParametersError, error.Error);
    }

    [Fact]
    public void Authenticate_PresignedDatedInTheFuture_ThrowsAccessDenied()
    {
        var error = Assert.Throws<S3Exception>(() => AwsDocumentationExamples.Authenticator(AwsDocumentationExamples.Time.AddHours(-1)).Authenticate(AwsDocumentationExamples.PresignedGet()));

        Assert.Equal(S3ErrorCode.AccessDenied, error.Error);
    }

    [Fact]
    public void Authenticate_SameExampleTwice_UsesCachedSigningKeyAndStillVerifies()
    {
        var authenticator = AwsDocumentationExamples.Authenticator();

        authenticator.Authenticate(AwsDocumentationExamples.GetObject());
        authenticator.Authenticate(AwsDocumentationExamples.ListObjects());

        Assert.Throws<S3Exception>(() => authenticator.Authenticate(AwsDocumentationExamples.PresignedGet("0" + new string('1', 63))));
    }

    private static HttpContext Example(string name) => name switch
    {
        "GetObject" => AwsDocumentationExamples.GetObject(),
        "PutObject" => AwsDocumentationExamples.PutObject(),
        "GetBucketLifecycle" => AwsDocumentationExamples.GetBucketLifecycle(),
        _ => AwsDocumentationExamples.ListObjects(),
    };
}
