using System.Text;
using ComIO.ApiService.Authentication;
using Microsoft.AspNetCore.Http;

namespace ComIO.ApiService.Tests.Authentication;

/// <summary>
/// The worked examples of the Amazon S3 API reference ("Signature Calculations for the Authorization Header",
/// "Authenticating Requests: Using Query Parameters", "Transferring Payload in Multiple Chunks"): example credentials,
/// 20130524T000000Z, us-east-1, with the signatures AWS publishes.
/// </summary>
internal static class AwsDocumentationExamples
{
    public const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    public const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public const string ChunkedSeedSignature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

    public static readonly DateTimeOffset Time = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    public static SigV4Authenticator Authenticator(DateTimeOffset? now = null)
        => new(new InMemoryCredentialStore([new(AccessKey, Secret)]), new FixedTimeProvider(now ?? Time), new SigV4Options());

    public static string AuthorizationHeader(string signedHeaders, string signature)
        => $"AWS4-HMAC-SHA256 Credential={AccessKey}/20130524/us-east-1/s3/aws4_request,SignedHeaders={signedHeaders},Signature={signature}";

    /// <summary>GET Object with a Range header (signature f0e8bdb8...).</summary>
    public static HttpContext GetObject() => CapturedRequest.Build(
        "GET",
        "/test.txt",
        ("Host", "examplebucket.s3.amazonaws.com"),
        ("Range", "bytes=0-9"),
        ("x-amz-content-sha256", EmptySha256),
        ("x-amz-date", "20130524T000000Z"),
        ("Authorization", AuthorizationHeader("host;range;x-amz-content-sha256;x-amz-date", "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")));

    /// <summary>PUT Object "test$file.text" with a Date header and a signed payload hash (signature 98ad7217...).</summary>
    public static HttpContext PutObject() => CapturedRequest.Build(
        "PUT",
        "/test%24file.text",
        ("Host", "examplebucket.s3.amazonaws.com"),
        ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
        ("x-amz-date", "20130524T000000Z"),
        ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
        ("x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"),
        ("Authorization", AuthorizationHeader("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class", "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")));

    /// <summary>GET Bucket lifecycle, a value-less sub-resource (signature fea454ca...).</summary>
    public static HttpContext GetBucketLifecycle() => CapturedRequest.Build(
        "GET",
        "/?lifecycle",
        ("Host", "examplebucket.s3.amazonaws.com"),
        ("x-amz-date", "20130524T000000Z"),
        ("x-amz-content-sha256", EmptySha256),
        ("Authorization", AuthorizationHeader("host;x-amz-content-sha256;x-amz-date", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")));

    /// <summary>GET Bucket (list objects) with query parameters out of canonical order (signature 34b48302...).</summary>
    public static HttpContext ListObjects() => CapturedRequest.Build(
        "GET",
        "/?max-keys=2&prefix=J",
        ("Host", "examplebucket.s3.amazonaws.com"),
        ("x-amz-date", "20130524T000000Z"),
        ("x-amz-content-sha256", EmptySha256),
        ("Authorization", AuthorizationHeader("host;x-amz-content-sha256;x-amz-date", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")));

    /// <summary>The presigned GET of test.txt valid for 86400 s (signature aeeed9bb...).</summary>
    public static HttpContext PresignedGet(string? signature = null) => CapturedRequest.Build(
        "GET",
        "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature="
            + (signature ?? "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"),
        ("Host", "examplebucket.s3.amazonaws.com"));

    /// <summary>The chunked PUT of 66,560 bytes of 'a' in 65,536 + 1,024 + 0 byte chunks.</summary>
    public static HttpContext ChunkedPut() => CapturedRequest.Build(
        "PUT",
        "/examplebucket/chunkObject.txt",
        ("Host", "s3.amazonaws.com"),
        ("x-amz-date", "20130524T000000Z"),
        ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
        ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
        ("Content-Encoding", "aws-chunked"),
        ("x-amz-decoded-content-length", "66560"),
        ("Content-Length", "66824"),
        ("Authorization", AuthorizationHeader(
            "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
            ChunkedSeedSignature)));

    /// <summary>The chunked body with AWS's published chunk signatures, and the streaming context the authenticator derives.</summary>
    public static (StreamingSignatureContext Context, byte[] Body) ChunkedUpload()
    {
        var result = Authenticator().Authenticate(ChunkedPut());
        var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n"));
        body.Write(Enumerable.Repeat((byte)'a', 65536).ToArray());
        body.Write(Encoding.ASCII.GetBytes("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n"));
        body.Write(Enumerable.Repeat((byte)'a', 1024).ToArray());
        body.Write(Encoding.ASCII.GetBytes("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"));
        return (result.Streaming!, body.ToArray());
    }
}
