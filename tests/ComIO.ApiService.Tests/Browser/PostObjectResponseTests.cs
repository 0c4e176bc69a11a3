using System.Text;
using ComIO.ApiService.Browser.PostObject;
using Xunit;

namespace ComIO.ApiService.Tests.Browser;

/// <summary>success_action_status / success_action_redirect handling.</summary>
public sealed class PostObjectResponseTests
{
    private const string ETag = "\"d41d8cd98f00b204e9800998ecf8427e\"";
    private const string Location = "https://b.s3.example.com/photos/a%20b.jpg";

    private static PostObjectResponse Create(string? status, string? redirect = null) =>
        PostObjectResponse.Create(status, redirect, "b", "photos/a b.jpg", ETag, Location);

    [Theory]
    [InlineData(null, 204)]
    [InlineData("", 204)]
    [InlineData("200", 200)]
    [InlineData("204", 204)]
    [InlineData("202", 204)]
    [InlineData("abc", 204)]
    public void Create_ReturnsEmptyBody_ForStatus200Or204(string? status, int expected)
    {
        var response = Create(status);

        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(response.Body);
        Assert.Null(response.ContentType);
        Assert.Null(response.RedirectLocation);
    }

    [Fact]
    public void Create_ReturnsPostResponseDocument_ForStatus201()
    {
        var response = Create("201");

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("application/xml", response.ContentType);
        Assert.EndsWith(
            $"<PostResponse><Location>{Location}</Location><Bucket>b</Bucket><Key>photos/a b.jpg</Key><ETag>{ETag}</ETag></PostResponse>",
            Encoding.UTF8.GetString(response.Body));
    }

    [Theory]
    [InlineData("https://example.com/done", "https://example.com/done?")]
    [InlineData("https://example.com/done?x=1", "https://example.com/done?x=1&")]
    [InlineData("http://example.com/?", "http://example.com/?")]
    public void Create_Redirects303WithBucketKeyEtag_WhenRedirectIsAUrl(string redirect, string prefix)
    {
        var response = Create("201", redirect);

        Assert.Equal(303, response.StatusCode);
        Assert.Empty(response.Body);
        Assert.Equal(prefix + "bucket=b&key=photos%2Fa+b.jpg&etag=%22d41d8cd98f00b204e9800998ecf8427e%22", response.RedirectLocation);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.com/x")]
    public void Create_IgnoresRedirect_WhenNotAnHttpUrl(string redirect)
    {
        var response = Create("200", redirect);

        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.RedirectLocation);
    }
}
