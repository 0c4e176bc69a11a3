using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Browser.PostObject;
using ComIO.ApiService.Protocol.Errors;
using Xunit;

namespace ComIO.ApiService.Tests.Browser;

/// <summary>
/// The pieces together, as the POST Object handler will use them: read the form, authenticate, check the policy
/// with the request's bucket added, then stream the file while enforcing content-length-range.
/// </summary>
public sealed class BrowserUploadFlowTests
{
    private const string AccessKey = "AKIDFLOW";
    private const string Secret = "flow-secret";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string SignPolicy(string policy)
    {
        static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + Secret), "20261126"), "us-east-1"), "s3"), "aws4_request");
        return Convert.ToHexStringLower(Hmac(key, policy));
    }

    private static MultipartFormDataContent SignedForm(byte[] file, string key = "user/eric/${filename}", string maxSize = "100")
    {
        var policy = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""
            { "expiration": "2026-11-27T00:00:00.000Z",
              "conditions": [
                {"bucket": "photos"},
                ["starts-with", "$key", "user/eric/"],
                {"acl": "public-read"},
                {"success_action_status": "201"},
                ["starts-with", "$Content-Type", "image/"],
                ["content-length-range", 1, {{maxSize}}],
                {"x-amz-credential": "{{AccessKey}}/20261126/us-east-1/s3/aws4_request"},
                {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
                {"x-amz-date": "20261126T000000Z"}
              ]
            }
            """));
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in new[]
        {
            ("key", key), ("acl", "public-read"), ("success_action_status", "201"), ("Content-Type", "image/png"),
            ("X-Amz-Credential", $"{AccessKey}/20261126/us-east-1/s3/aws4_request"), ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Date", "20261126T000000Z"), ("Policy", policy), ("X-Amz-Signature", SignPolicy(policy)),
        })
        {
            content.Add(new StringContent(value), name);
        }

        content.Add(new ByteArrayContent(file), "file", "cat.png");
        return content;
    }

    /// <summary>The handler's sequence; returns the stored bytes.</summary>
    private static async Task<(string Key, byte[] Stored)> UploadAsync(MultipartFormDataContent content)
    {
        var form = await PostFormReader.ReadAsync(content.Headers.ContentType!.ToString(), await content.ReadAsStreamAsync(Ct), Ct);
        var fields = new Dictionary<string, string>(form.Fields, StringComparer.OrdinalIgnoreCase) { ["bucket"] = "photos" };
        Assert.Equal(AccessKey, PostSignatureV4.Verify(fields, id => id == AccessKey ? Secret : null, "us-east-1"));
        var policy = PostPolicy.Parse(fields["policy"]);
        PostPolicyValidator.Validate(policy, fields, Now);

        using var stored = new MemoryStream();
        var buffer = new byte[16];
        int read;
        while ((read = await form.File.ReadAsync(buffer, Ct)) > 0)
        {
            stored.Write(buffer, 0, read);
            PostPolicyValidator.ValidateContentLength(policy, stored.Length);
        }

        PostPolicyValidator.ValidateContentLength(policy, stored.Length);
        return (form.Key, stored.ToArray());
    }

    [Fact]
    public async Task Upload_StoresFile_WhenFormSignedAndWithinPolicy()
    {
        var file = RandomNumberGenerator.GetBytes(100);
        using var content = SignedForm(file);

        var (key, stored) = await UploadAsync(content);

        Assert.Equal("user/eric/cat.png", key);
        Assert.Equal(file, stored);
    }

    [Fact]
    public async Task Upload_FailsWhileStreaming_AsSoonAsFilePassesMaximum()
    {
        using var content = SignedForm(new byte[1000], maxSize: "20");

        var error = await Assert.ThrowsAsync<S3Exception>(() => UploadAsync(content));

        Assert.Equal(S3ErrorCode.EntityTooLarge, error.Error);
        Assert.Equal(new("ProposedSize", "32"), error.ExtraElements[0]);
    }

    [Fact]
    public async Task Upload_FailsPolicy_WhenExpandedKeyLeavesAllowedPrefix()
    {
        using var content = SignedForm([1], key: "user/bob/${filename}");

        var error = await Assert.ThrowsAsync<S3Exception>(() => UploadAsync(content));

        Assert.Equal("Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"user/eric/\"]", error.Message);
    }
}
