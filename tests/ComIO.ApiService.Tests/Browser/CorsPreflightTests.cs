using ComIO.ApiService.Browser.Cors;
using ComIO.ApiService.Protocol.Errors;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace ComIO.ApiService.Tests.Browser;

/// <summary>Rule matching (origins, methods, headers, wildcards, case), preflight outcomes and the headers S3 sends.</summary>
public sealed class CorsPreflightTests
{
    private const string NotAllowed = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

    private static readonly CorsConfiguration Configuration = new(
    [
        new CorsRule("writes", ["http://www.example.com", "https://*.example.org"], ["PUT", "POST", "DELETE"], ["x-amz-*", "Content-Type"], ["ETag", "x-amz-request-id"], 3000),
        new CorsRule("reads", ["*"], ["GET", "HEAD"]),
    ]);

    [Theory]
    [InlineData("http://www.example.com", "PUT", "", "writes")]
    [InlineData("http://www.example.com", "DELETE", "x-amz-date", "writes")]
    [InlineData("http://www.example.com", "PUT", "X-AMZ-DATE, content-type", "writes")]
    [InlineData("https://app.example.org", "POST", "x-amz-meta-a,x-amz-meta-b", "writes")]
    [InlineData("https://a.b.example.org", "PUT", "", "writes")]
    [InlineData("http://www.example.com", "GET", "", "reads")]
    [InlineData("http://anything.test", "HEAD", "", "reads")]
    [InlineData("null", "GET", "", "reads")]
    public void MatchPreflight_ReturnsFirstMatchingRule_WhenOriginMethodAndHeadersMatch(string origin, string method, string headers, string expectedRule)
    {
        var rule = CorsEvaluator.MatchPreflight(Configuration, origin, method, CorsPreflight.SplitHeaderList(headers));

        Assert.Equal(expectedRule, rule?.Id);
    }

    [Theory]
    [InlineData("http://www.example.com", "PUT", "authorization")]
    [InlineData("http://evil.example.com", "PUT", "")]
    [InlineData("HTTP://WWW.EXAMPLE.COM", "PUT", "")]
    [InlineData("http://example.org", "PUT", "")]
    [InlineData("https://example.org", "PUT", "")]
    [InlineData("http://app.example.org", "PUT", "")]
    [InlineData("http://www.example.com", "put", "")]
    [InlineData("http://anything.test", "PUT", "")]
    [InlineData("http://anything.test", "GET", "x-amz-date")]
    public void MatchPreflight_ReturnsNull_WhenAnyPartDoesNotMatch(string origin, string method, string headers)
    {
        Assert.Null(CorsEvaluator.MatchPreflight(Configuration, origin, method, CorsPreflight.SplitHeaderList(headers)));
    }

    [Fact]
    public void MatchPreflight_FirstRuleWins_WhenSeveralMatch()
    {
        var configuration = new CorsConfiguration([new CorsRule("a", ["*"], ["GET"]), new CorsRule("b", ["*"], ["GET"])]);

        Assert.Equal("a", CorsEvaluator.MatchPreflight(configuration, "http://x", "GET", [])?.Id);
    }

    [Theory]
    [InlineData("http://www.example.com", "DELETE", "writes")]
    [InlineData("https://x.example.org", "POST", "writes")]
    [InlineData("http://x.test", "GET", "reads")]
    [InlineData("http://x.test", "PUT", null)]
    [InlineData("http://www.example.com", "PATCH", null)]
    public void MatchActual_MatchesOriginAndMethod_IgnoringHeaders(string origin, string method, string? expectedRule)
    {
        Assert.Equal(expectedRule, CorsEvaluator.MatchActual(Configuration, origin, method)?.Id);
    }

    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "anything", true)]
    [InlineData("a*", "a", true)]
    [InlineData("a*", "ab", true)]
    [InlineData("*b", "ab", true)]
    [InlineData("a*b", "ab", true)]
    [InlineData("a*b", "axxb", true)]
    [InlineData("a*b", "axxbc", false)]
    [InlineData("ab*bc", "abc", false)]
    [InlineData("a*a", "a", false)]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abd", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXc", false)]
    public void WildcardMatch_MatchesLikeAGlob(string pattern, string value, bool expected)
    {
        Assert.Equal(expected, CorsEvaluator.WildcardMatch(pattern, value, StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_Returns400BadRequest_WhenOriginMissing()
    {
        var outcome = CorsPreflight.Evaluate(Configuration, null, "GET", null);

        Assert.False(outcome.Allowed);
        Assert.Equal(400, outcome.StatusCode);
        Assert.Equal("BadRequest", outcome.Error!.Error.Code);
        Assert.Equal("Insufficient information. Origin request header needed.", outcome.Error.Message);
    }

    [Theory]
    [InlineData(null, "Invalid Access-Control-Request-Method: null")]
    [InlineData("PATCH", "Invalid Access-Control-Request-Method: PATCH")]
    [InlineData("get", "Invalid Access-Control-Request-Method: get")]
    public void Evaluate_Returns400BadRequest_WhenRequestMethodInvalid(string? method, string message)
    {
        var outcome = CorsPreflight.Evaluate(Configuration, "http://www.example.com", method, null);

        Assert.Equal(400, outcome.StatusCode);
        Assert.Equal(S3ErrorCodes.BadRequest, outcome.Error!.Error);
        Assert.Equal(message, outcome.Error.Message);
    }

    [Theory]
    [InlineData("PUT", "PUT")]
    [InlineData(null, "OPTIONS")]
    [InlineData("PATCH", "PATCH")]
    public void Evaluate_Returns403AccessForbidden_WhenBucketHasNoCorsConfiguration(string? method, string reported)
    {
        var outcome = CorsPreflight.Evaluate(null, "http://www.example.com", method, null, CorsPreflight.ObjectResource);

        Assert.Equal(403, outcome.StatusCode);
        Assert.Equal("AccessForbidden", outcome.Error!.Error.Code);
        Assert.Equal("CORSResponse: CORS is not enabled for this bucket.", outcome.Error.Message);
        Assert.Equal([new("Method", reported), new("ResourceType", "BUCKET")], outcome.Error.ExtraElements);
    }

    [Fact]
    public void Evaluate_Returns400_WhenOriginMissing_EvenWithoutConfiguration()
    {
        Assert.Equal(400, CorsPreflight.Evaluate(null, "", "GET", null).StatusCode);
    }

    [Fact]
    public void Evaluate_Returns403AccessForbidden_WhenNoRuleMatches()
    {
        var outcome = CorsPreflight.Evaluate(Configuration, "http://www.example.com", "PUT", "authorization");

        Assert.Equal(403, outcome.StatusCode);
        Assert.Equal(S3ErrorCodes.AccessForbidden, outcome.Error!.Error);
        Assert.Equal(NotAllowed, outcome.Error.Message);
        Assert.Equal([new("Method", "PUT"), new("ResourceType", "OBJECT")], outcome.Error.ExtraElements);
        Assert.Throws<InvalidOperationException>(() => outcome.WriteHeaders(new HeaderDictionary()));
    }

    [Fact]
    public void Evaluate_Returns200WithHeaders_WhenRuleMatches()
    {
        var outcome = CorsPreflight.Evaluate(Configuration, "http://www.example.com", "PUT", "x-AMZ-date,Content-Type");
        var headers = new HeaderDictionary();
        outcome.WriteHeaders(headers);

        Assert.True(outcome.Allowed);
        Assert.Equal(200, outcome.StatusCode);
        Assert.Equal("writes", outcome.Rule!.Id);
        Assert.Equal("http://www.example.com", headers["Access-Control-Allow-Origin"]);
        Assert.Equal("PUT, POST, DELETE", headers["Access-Control-Allow-Methods"]);
        Assert.Equal("x-amz-date, content-type", headers["Access-Control-Allow-Headers"]);
        Assert.Equal("ETag, x-amz-request-id", headers["Access-Control-Expose-Headers"]);
        Assert.Equal("3000", headers["Access-Control-Max-Age"]);
        Assert.Equal("true", headers["Access-Control-Allow-Credentials"]);
        Assert.Equal("Origin, Access-Control-Request-Headers, Access-Control-Request-Method", headers["Vary"]);
    }

    [Fact]
    public void WritePreflight_AnswersStarWithoutCredentials_WhenRuleOriginIsStar()
    {
        var headers = new HeaderDictionary();
        CorsHeaders.WritePreflight(headers, Configuration.Rules[1], "http://x.test", "GET", null);

        Assert.Equal("*", headers["Access-Control-Allow-Origin"]);
        Assert.Equal("GET, HEAD", headers["Access-Control-Allow-Methods"]);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Credentials"));
        Assert.False(headers.ContainsKey("Access-Control-Allow-Headers"));
        Assert.False(headers.ContainsKey("Access-Control-Expose-Headers"));
        Assert.False(headers.ContainsKey("Access-Control-Max-Age"));
        Assert.Equal(CorsHeaders.VaryValue, headers["Vary"]);
    }

    [Fact]
    public void WriteActual_EchoesOrigin_WhenMatchedByWildcardPattern()
    {
        var headers = new HeaderDictionary();
        CorsHeaders.WriteActual(headers, Configuration.Rules[0], "https://app.example.org");

        Assert.Equal("https://app.example.org", headers["Access-Control-Allow-Origin"]);
        Assert.Equal("true", headers["Access-Control-Allow-Credentials"]);
        Assert.Equal("ETag, x-amz-request-id", headers["Access-Control-Expose-Headers"]);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Headers"));
    }

    [Theory]
    [InlineData(null, new string[0])]
    [InlineData("", new string[0])]
    [InlineData(" , ,", new string[0])]
    [InlineData("a", new[] { "a" })]
    [InlineData(" a ,b,, c ", new[] { "a", "b", "c" })]
    public void SplitHeaderList_TrimsAndDropsEmpties(string? value, string[] expected)
    {
        Assert.Equal(expected, CorsPreflight.SplitHeaderList(value));
    }
}
