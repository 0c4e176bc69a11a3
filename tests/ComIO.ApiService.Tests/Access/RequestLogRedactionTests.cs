using ComIO.ApiService.Pipeline;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

public sealed class RequestLogRedactionTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("?list-type=2&prefix=a", "?list-type=2&prefix=a")]
    [InlineData("?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261126%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc123&X-Amz-Expires=60",
        "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Expires=60")]
    [InlineData("?x-amz-signature=abc&X-Amz-Security-Token=t", "?x-amz-signature=REDACTED&X-Amz-Security-Token=REDACTED")]
    public void Redact_ReplacesCredentialParameterValues_AndKeepsTheRest(string query, string expected)
    {
        Assert.Equal(expected, RequestLogMiddleware.Redact(query));
    }
}
