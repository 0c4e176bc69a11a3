using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3.Browser;

/// <summary>Put/Get/DeleteBucketCors through the SDK, and preflight and actual requests answered from the bucket's rules.</summary>
public sealed class CorsServiceTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> BucketWithCorsAsync()
    {
        var bucket = await cluster.CreateBucketAsync("cors");
        await cluster.S3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new CORSConfiguration
            {
                Rules =
                [
                    new CORSRule
                    {
                        Id = "app",
                        AllowedOrigins = ["https://app.example.com", "https://*.example.org"],
                        AllowedMethods = ["GET", "PUT"],
                        AllowedHeaders = ["content-type", "x-amz-*"],
                        ExposeHeaders = ["ETag"],
                        MaxAgeSeconds = 600,
                    },
                ],
            },
        }, Ct);
        return bucket;
    }

    [Fact]
    public async Task BucketCors_RoundTripsThroughTheSdk_AndDeleteRemovesIt()
    {
        var bucket = await BucketWithCorsAsync();

        var rules = (await cluster.S3.GetCORSConfigurationAsync(bucket, Ct)).Configuration.Rules;
        var rule = Assert.Single(rules);
        Assert.Equal("app", rule.Id);
        Assert.Equal(["https://app.example.com", "https://*.example.org"], rule.AllowedOrigins);
        Assert.Equal(["GET", "PUT"], rule.AllowedMethods);
        Assert.Equal(["ETag"], rule.ExposeHeaders);
        Assert.Equal(600, rule.MaxAgeSeconds);

        await cluster.S3.DeleteCORSConfigurationAsync(bucket, Ct);
        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, "/" + bucket, [("cors", "")]);
        await S3Assert.ErrorAsync(response, HttpStatusCode.NotFound, "NoSuchCORSConfiguration");
    }

    [Fact]
    public async Task PutBucketCors_ReturnsMalformedXml_AndKeepsNothing_WhenMethodIsUnsupported()
    {
        var bucket = await cluster.CreateBucketAsync("corsbad");
        var body = "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>"u8.ToArray();

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, "/" + bucket, [("cors", "")], body, headers: [("Content-MD5", S3Wire.Md5Base64(body))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, "/" + bucket, [("cors", "")]);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Preflight_AllowsMatchingOriginMethodAndHeaders_WithoutCredentials()
    {
        var bucket = await BucketWithCorsAsync();

        using var response = await PreflightAsync($"/{bucket}/photo.jpg", "https://cdn.example.org", "PUT", "Content-Type, X-Amz-Date");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://cdn.example.org", S3Wire.Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("PUT", S3Wire.Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Equal("content-type, x-amz-date", S3Wire.Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("600", S3Wire.Header(response, "Access-Control-Max-Age"));
        Assert.Equal("ETag", S3Wire.Header(response, "Access-Control-Expose-Headers"));
    }

    [Theory]
    [InlineData("https://evil.example.net", "GET", null)]
    [InlineData("https://app.example.com", "DELETE", null)]
    [InlineData("https://app.example.com", "PUT", "Authorization")]
    public async Task Preflight_ReturnsAccessForbidden_WhenNoRuleMatches(string origin, string method, string? headers)
    {
        var bucket = await BucketWithCorsAsync();

        using var response = await PreflightAsync($"/{bucket}/k", origin, method, headers);

        await S3Assert.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessForbidden");
        Assert.Null(S3Wire.Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_ReturnsAccessForbidden_WhenBucketHasNoCors_AndBadRequest_WithoutOrigin()
    {
        var bucket = await cluster.CreateBucketAsync("nocors");

        using var noConfig = await PreflightAsync($"/{bucket}/k", "https://app.example.com", "GET", null);
        await S3Assert.ErrorAsync(noConfig, HttpStatusCode.Forbidden, "AccessForbidden");

        using var noOrigin = await PreflightAsync($"/{bucket}/k", null, "GET", null);
        await S3Assert.ErrorAsync(noOrigin, HttpStatusCode.BadRequest, "BadRequest");
    }

    [Fact]
    public async Task ActualRequest_CarriesCorsHeaders_OnSuccessAndError_WhenOriginMatches()
    {
        var bucket = await BucketWithCorsAsync();
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" }, Ct);

        using var ok = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/k", headers: [("Origin", "https://app.example.com")]);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("https://app.example.com", S3Wire.Header(ok, "Access-Control-Allow-Origin"));
        Assert.Equal("ETag", S3Wire.Header(ok, "Access-Control-Expose-Headers"));

        using var missing = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/missing", headers: [("Origin", "https://app.example.com")]);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("https://app.example.com", S3Wire.Header(missing, "Access-Control-Allow-Origin"));

        using var other = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/k", headers: [("Origin", "https://evil.example.net")]);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Null(S3Wire.Header(other, "Access-Control-Allow-Origin"));
    }

    private async Task<HttpResponseMessage> PreflightAsync(string path, string? origin, string method, string? requestHeaders)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri(cluster.Endpoint, path));
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        request.Headers.Add("Access-Control-Request-Method", method);
        if (requestHeaders is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", requestHeaders);
        }

        return await http.SendAsync(request, Ct);
    }
}
