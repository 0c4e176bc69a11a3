using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3.Browser;

/// <summary>
/// POST Object (HTML form uploads) against the in-process site: a signed form stores the file byte for byte, and a form
/// violating each policy condition is refused with S3's error and stores nothing.
/// </summary>
public sealed class PostObjectServiceTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Date => DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Credential => $"{ComIOCluster.AccessKey}/{Date}/{ComIOCluster.Region}/s3/aws4_request";

    private static string Policy(string bucket, string expiration, string keyPrefix = "uploads/", long maxSize = 1024, string contentTypePrefix = "text/") =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""
            {"expiration": "{{expiration}}",
             "conditions": [
               {"bucket": "{{bucket}}"},
               ["starts-with", "$key", "{{keyPrefix}}"],
               ["starts-with", "$Content-Type", "{{contentTypePrefix}}"],
               ["content-length-range", 1, {{maxSize}}],
               {"success_action_status": "201"},
               {"x-amz-meta-origin": "browser"},
               {"x-amz-credential": "{{Credential}}"},
               {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
               {"x-amz-date": "{{Date}}T000000Z"}
             ]}
            """));

    private static string Sign(string policy, string secret = ComIOCluster.SecretKey)
    {
        static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), Date), ComIOCluster.Region), "s3"), "aws4_request");
        return Convert.ToHexStringLower(Hmac(key, policy));
    }

    private static string Tomorrow => DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> PostAsync(string bucket, byte[] file, string? policy = null, string key = "uploads/${filename}",
        string contentType = "text/plain", string? signature = null, IEnumerable<(string Name, string Value)>? extra = null, bool signed = true)
    {
        policy ??= Policy(bucket, Tomorrow);
        var form = new MultipartFormDataContent();
        var fields = new List<(string, string)> { ("key", key), ("Content-Type", contentType), ("success_action_status", "201"), ("x-amz-meta-origin", "browser") };
        if (signed)
        {
            fields.AddRange([("X-Amz-Credential", Credential), ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Date", Date + "T000000Z"),
                ("Policy", policy), ("X-Amz-Signature", signature ?? Sign(policy))]);
        }

        fields.AddRange(extra ?? []);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        var fileContent = new ByteArrayContent(file);
        fileContent.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        form.Add(fileContent, "file", "notes.txt");
        using var http = new HttpClient();
        return await http.PostAsync(new Uri(cluster.Endpoint, "/" + bucket), form, Ct);
    }

    [Fact]
    public async Task Post_StoresTheFileWithMetadata_AndAnswersPostResponse_WhenFormIsSignedAndWithinPolicy()
    {
        var bucket = await cluster.CreateBucketAsync("post");
        var data = Encoding.UTF8.GetBytes("hello from a browser form");

        using var response = await PostAsync(bucket, data);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!;
        Assert.Equal("PostResponse", xml.Name.LocalName);
        Assert.Equal("uploads/notes.txt", xml.Elements().Single(e => e.Name.LocalName == "Key").Value);
        using var get = await cluster.S3.GetObjectAsync(bucket, "uploads/notes.txt", Ct);
        using var body = new MemoryStream();
        await get.ResponseStream.CopyToAsync(body, Ct);
        Assert.Equal(data, body.ToArray());
        Assert.Equal("text/plain", get.Headers.ContentType);
        Assert.Equal("browser", get.Metadata["x-amz-meta-origin"]);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(data)), get.ETag.Trim('"'));
    }

    public static TheoryData<string, string, HttpStatusCode, string> Violations => new()
    {
        { "expired", "Invalid according to Policy: Policy expired.", HttpStatusCode.Forbidden, "AccessDenied" },
        { "bucket", "Policy Condition failed", HttpStatusCode.Forbidden, "AccessDenied" },
        { "key", "Policy Condition failed", HttpStatusCode.Forbidden, "AccessDenied" },
        { "content-type", "Policy Condition failed", HttpStatusCode.Forbidden, "AccessDenied" },
        { "extra-field", "Extra input fields", HttpStatusCode.Forbidden, "AccessDenied" },
        { "too-large", "", HttpStatusCode.BadRequest, "EntityTooLarge" },
        { "too-small", "", HttpStatusCode.BadRequest, "EntityTooSmall" },
        { "signature", "", HttpStatusCode.Forbidden, "SignatureDoesNotMatch" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task Post_IsRefusedAndStoresNothing_WhenAPolicyConditionFails(string violation, string message, HttpStatusCode status, string code)
    {
        var bucket = await cluster.CreateBucketAsync("postbad");
        var data = Encoding.UTF8.GetBytes("0123456789");
        using var response = violation switch
        {
            "expired" => await PostAsync(bucket, data, Policy(bucket, DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
            "bucket" => await PostAsync(bucket, data, Policy("some-other-bucket", Tomorrow)),
            "key" => await PostAsync(bucket, data, key: "elsewhere/notes.txt"),
            "content-type" => await PostAsync(bucket, data, contentType: "application/x-sh"),
            "extra-field" => await PostAsync(bucket, data, extra: [("x-amz-meta-unexpected", "1")]),
            "too-large" => await PostAsync(bucket, new byte[2048]),
            "too-small" => await PostAsync(bucket, []),
            "signature" => await PostAsync(bucket, data, signature: Sign(Policy(bucket, Tomorrow), "wrong-secret")),
            _ => throw new ArgumentOutOfRangeException(nameof(violation)),
        };

        var error = await S3Assert.ErrorAsync(response, status, code);
        Assert.Contains(message, error!.Element("Message")?.Value ?? "", StringComparison.Ordinal);
        var listing = await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Empty(listing.S3Objects ?? []);
    }

    [Fact]
    public async Task Post_IsAccessDenied_WhenUnsignedAndBucketIsPrivate_AndAllowed_WhenBucketPolicyGrantsAnonymousPut()
    {
        var bucket = await cluster.CreateBucketAsync("postanon");
        var data = Encoding.UTF8.GetBytes("anonymous drop");

        using var denied = await PostAsync(bucket, data, key: "uploads/a.txt", signed: false);
        await S3Assert.ErrorAsync(denied, HttpStatusCode.Forbidden, "AccessDenied");

        await cluster.S3.PutBucketPolicyAsync(bucket, $$"""
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::{{bucket}}/uploads/*"}]}
            """, Ct);
        using var allowed = await PostAsync(bucket, data, key: "uploads/a.txt", signed: false);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        using var get = await cluster.S3.GetObjectAsync(bucket, "uploads/a.txt", Ct);
        Assert.Equal(data.Length, get.ContentLength);
    }
}
