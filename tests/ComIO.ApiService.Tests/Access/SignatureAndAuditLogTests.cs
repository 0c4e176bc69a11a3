using System.Net;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Tests.S3.Harness;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// Signatures made with users' keys: replays outside the skew window and requests changed after signing are refused;
/// nothing any service logs ever contains a secret or a signature, while the audit events are there.
/// </summary>
public sealed partial class SignatureAndAuditLogTests(LoggedClusterFixture fixture) : IClassFixture<LoggedClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ComIOCluster Cluster => fixture.Cluster;

    private AdminApiClient Admin => new(Cluster.Wire);

    [Fact]
    public async Task RequestSigned20MinutesAgo_IsRefusedWithRequestTimeTooSkewed()
    {
        var bucket = await Cluster.CreateBucketAsync("skew");
        var user = await Admin.CreateUserWithKeyAsync("skew", PolicyJson.AllowBucket(bucket));
        using var wire = new S3Wire(Cluster.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region);
        using (var live = await wire.SendAsync(HttpMethod.Get, $"/{bucket}", query: [("list-type", "2")]))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        using (var replayed = await wire.SendAsync(HttpMethod.Get, $"/{bucket}", query: [("list-type", "2")], signedAt: DateTimeOffset.UtcNow.AddMinutes(-20)))
        {
            await S3Assert.ErrorAsync(replayed, HttpStatusCode.Forbidden, "RequestTimeTooSkewed");
        }

        using (var future = await wire.SendAsync(HttpMethod.Get, $"/{bucket}", query: [("list-type", "2")], signedAt: DateTimeOffset.UtcNow.AddMinutes(20)))
        {
            await S3Assert.ErrorAsync(future, HttpStatusCode.Forbidden, "RequestTimeTooSkewed");
        }

        // The admin API applies the same window.
        using var admin = await Cluster.Wire.SendAsync(HttpMethod.Get, AdminApiClient.Prefix + "/users", signedAt: DateTimeOffset.UtcNow.AddMinutes(-20));
        await AdminApiClient.ErrorAsync(admin, HttpStatusCode.Forbidden, "RequestTimeTooSkewed");
    }

    [Fact]
    public async Task PresignedUrlSigned20MinutesAgoWithShortLifetime_IsRefused()
    {
        var bucket = await Cluster.CreateBucketAsync("oldurl");
        await Cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "k" }, Ct);
        var user = await Admin.CreateUserWithKeyAsync("oldurl", PolicyJson.AllowBucket(bucket));
        using var http = new HttpClient();
        using var response = await http.GetAsync(Presigner.PresignGet(Cluster.Endpoint, $"/{bucket}/k", user.AccessKeyId, user.SecretKey, ComIOCluster.Region, 600, DateTimeOffset.UtcNow.AddMinutes(-20)), Ct);
        await S3Assert.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Theory]
    [InlineData("query")]
    [InlineData("header")]
    [InlineData("path")]
    public async Task UserRequestChangedAfterSigning_IsRefusedWithSignatureDoesNotMatch(string part)
    {
        var bucket = await Cluster.CreateBucketAsync("tamper");
        await Cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a", ContentBody = "a" }, Ct);
        await Cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "b", ContentBody = "b" }, Ct);
        var user = await Admin.CreateUserWithKeyAsync("tamper", PolicyJson.AllowBucket(bucket));
        using var wire = new S3Wire(Cluster.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region);
        var signed = wire.Sign("GET", $"/{bucket}/a", [("response-content-type", "text/plain")], [("x-amz-meta-note", "signed")], S3Wire.UnsignedPayload, user.SecretKey).ToList();
        var path = part == "path" ? $"/{bucket}/b" : $"/{bucket}/a";
        var query = part == "query" ? "?response-content-type=text%2Fhtml" : "?response-content-type=text%2Fplain";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Cluster.Endpoint, path + query));
        request.Headers.TryAddWithoutValidation("x-amz-meta-note", part == "header" ? "changed" : "signed");
        foreach (var (name, value) in signed)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var http = new HttpClient();
        using var response = await http.SendAsync(request, Ct);
        await S3Assert.ErrorAsync(response, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task UserRequestBodyChangedAfterSigning_IsRefusedAndNothingStored()
    {
        var bucket = await Cluster.CreateBucketAsync("body");
        var user = await Admin.CreateUserWithKeyAsync("body", PolicyJson.AllowBucket(bucket));
        using var wire = new S3Wire(Cluster.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region);
        using var put = await wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", body: "evil"u8.ToArray(), payloadHash: S3Wire.Sha256Hex("good"u8.ToArray()));
        await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "XAmzContentSHA256Mismatch");
        await S3Assert.SdkErrorAsync(() => Cluster.S3.GetObjectMetadataAsync(bucket, "k", Ct), HttpStatusCode.NotFound, "");
    }

    [Fact]
    public async Task Logs_NeverContainSecretsOrSignatures_AndCarryAuditEvents()
    {
        var bucket = await Cluster.CreateBucketAsync("logs");
        var secrets = new List<string> { ComIOCluster.SecretKey, ComIOCluster.SecretEncryptionKey, ComIOCluster.ClusterSecret };
        var signatures = new List<string>();
        var user = await Admin.CreateUserWithKeyAsync("logs", PolicyJson.AllowBucket(bucket));
        secrets.Add(user.SecretKey);
        using var wire = new S3Wire(Cluster.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region);

        // Succeeding requests: SDK (aws-chunked signed body), hand-signed wire requests, a presigned URL.
        using (var s3 = Cluster.NewClient(user.AccessKeyId, user.SecretKey))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "logged?" }, Ct);
            using var get = await s3.GetObjectAsync(bucket, "k", Ct);
        }

        signatures.Add(await SendAndKeepSignatureAsync(wire, HttpMethod.Get, $"/{bucket}/k", HttpStatusCode.OK));
        var presigned = Presigner.PresignGet(Cluster.Endpoint, $"/{bucket}/k", user.AccessKeyId, user.SecretKey, ComIOCluster.Region, 60);
        signatures.Add(Regex.Match(presigned.Query, "X-Amz-Signature=([0-9a-f]{64})").Groups[1].Value);
        using var http = new HttpClient();
        using (var ok = await http.GetAsync(presigned, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // Failing requests: wrong secret, unknown key, denied action, skewed time, bad presigned signature.
        signatures.Add(await SendAndKeepSignatureAsync(wire, HttpMethod.Get, $"/{bucket}/k", HttpStatusCode.Forbidden, signingSecret: "wrong-secret-0123456789-wrong-secret-01"));
        using (var unknown = new S3Wire(Cluster.Endpoint, "CKUNKNOWNUNKNOWNUNKN", "unknown-secret-unknown-secret-unknown-se", ComIOCluster.Region))
        {
            secrets.Add("unknown-secret-unknown-secret-unknown-se");
            signatures.Add(await SendAndKeepSignatureAsync(unknown, HttpMethod.Get, $"/{bucket}/k", HttpStatusCode.Forbidden));
        }

        signatures.Add(await SendAndKeepSignatureAsync(wire, HttpMethod.Delete, $"/{bucket}", HttpStatusCode.Forbidden));
        signatures.Add(await SendAndKeepSignatureAsync(wire, HttpMethod.Get, $"/{bucket}/k", HttpStatusCode.Forbidden, signedAt: DateTimeOffset.UtcNow.AddMinutes(-20)));
        var tampered = new Uri(presigned.ToString().Replace("X-Amz-Expires=60", "X-Amz-Expires=61", StringComparison.Ordinal));
        using (var bad = await http.GetAsync(tampered, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, bad.StatusCode);
        }

        // Admin changes: key creation, rotation, disabling (secrets appear in responses only); a refused admin call.
        var second = await Admin.CreateKeyAsync(user.Name);
        secrets.Add(second.SecretAccessKey);
        var rotated = await Admin.RotateKeyAsync(second.AccessKeyId);
        secrets.Add(rotated.SecretAccessKey);
        await Admin.SetKeyStatusAsync(rotated.AccessKeyId, IdentityStatus.Inactive);
        using (var rotatedWire = new S3Wire(Cluster.Endpoint, rotated.AccessKeyId, rotated.SecretAccessKey, ComIOCluster.Region))
        {
            signatures.Add(await SendAndKeepSignatureAsync(rotatedWire, HttpMethod.Get, $"/{bucket}/k", HttpStatusCode.Forbidden));
        }

        signatures.Add(await SendAndKeepSignatureAsync(wire, HttpMethod.Get, AdminApiClient.Prefix + "/users", HttpStatusCode.Forbidden));

        var entries = fixture.Logs.Entries;
        Assert.NotEmpty(entries);
        Assert.All(signatures, s => Assert.Matches("^[0-9a-f]{64}$", s));
        foreach (var entry in entries)
        {
            var text = entry.AllText;
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"A secret appears in a log entry: {text}");
            }

            foreach (var signature in signatures)
            {
                Assert.False(text.Contains(signature, StringComparison.OrdinalIgnoreCase), $"A signature appears in a log entry: {text}");
            }

            Assert.False(UnredactedSignature().IsMatch(text), $"A signature appears in a log entry: {text}");
        }

        // The logs were on at Trace (ASP.NET Core's included): the presigned request line was logged, redacted.
        Assert.Contains(entries, e => e.Category == Pipeline.RequestLogMiddleware.Category && e.AllText.Contains("X-Amz-Signature=REDACTED", StringComparison.Ordinal));

        var audit = entries.Where(e => e.Category == "ComIO.Audit").ToList();
        var failures = audit.Where(e => e.EventName == "AuthenticationFailed").ToList();
        Assert.Contains(failures, e => e.Properties.GetValueOrDefault("AccessKeyId") == user.AccessKeyId && e.Properties.GetValueOrDefault("ErrorCode") == "SignatureDoesNotMatch");
        Assert.Contains(failures, e => e.Properties.GetValueOrDefault("AccessKeyId") == user.AccessKeyId && e.Properties.GetValueOrDefault("ErrorCode") == "RequestTimeTooSkewed");
        Assert.Contains(failures, e => e.Properties.GetValueOrDefault("AccessKeyId") == "CKUNKNOWNUNKNOWNUNKN" && e.Properties.GetValueOrDefault("ErrorCode") == "InvalidAccessKeyId");
        Assert.Contains(failures, e => e.Properties.GetValueOrDefault("AccessKeyId") == rotated.AccessKeyId && e.Properties.GetValueOrDefault("ErrorCode") == "InvalidAccessKeyId");
        Assert.All(failures, e => Assert.Equal(LogLevel.Warning, e.Level));

        var changes = audit.Where(e => e.EventName == "AdminChange").Select(e => e.Message).ToList();
        Assert.Contains(changes, m => m.Contains("CreateUser", StringComparison.Ordinal) && m.Contains(user.Name, StringComparison.Ordinal));
        Assert.Contains(changes, m => m.Contains("CreateAccessKey " + second.AccessKeyId, StringComparison.Ordinal));
        Assert.Contains(changes, m => m.Contains($"RotateAccessKey {second.AccessKeyId} -> {rotated.AccessKeyId}", StringComparison.Ordinal));
        Assert.Contains(changes, m => m.Contains("SetAccessKeyStatus Inactive", StringComparison.Ordinal) && m.Contains(rotated.AccessKeyId, StringComparison.Ordinal));
        Assert.Contains(changes, m => m.Contains("PutUserPolicy", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.EventName == "AccessDenied" && e.Message.Contains(user.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusalOnRememberedSettings_ThatFreshSettingsAllow_IsNotAudited()
    {
        var bucket = await Cluster.CreateBucketAsync("prov");
        await Cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" }, Ct);
        var other = Cluster.StartAnotherApi();
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(new Uri(other, $"{bucket}/k"), Ct)).StatusCode);

        // The other replica now remembers "no policy"; its next decision refuses provisionally, then allows with fresh settings.
        await Cluster.S3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = PolicyJson.PublicRead(bucket) }, Ct);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri(other, $"{bucket}/k"), Ct)).StatusCode);

        var denials = fixture.Logs.Entries.Where(e => e.EventName == "AccessDenied" && e.AllText.Contains(bucket, StringComparison.Ordinal)).ToList();
        Assert.Single(denials);
    }

    /// <summary>Sends a signed request, checks its status, and returns the signature it carried.</summary>
    private static async Task<string> SendAndKeepSignatureAsync(S3Wire wire, HttpMethod method, string path, HttpStatusCode expected, string? signingSecret = null, DateTimeOffset? signedAt = null)
    {
        using var response = await wire.SendAsync(method, path, signingSecret: signingSecret, signedAt: signedAt);
        Assert.Equal(expected, response.StatusCode);
        var authorization = response.RequestMessage!.Headers.GetValues("Authorization").Single();
        return SignaturePattern().Match(authorization).Groups[1].Value;
    }

    [GeneratedRegex("Signature=(?!REDACTED)", RegexOptions.IgnoreCase)]
    private static partial Regex UnredactedSignature();

    [GeneratedRegex("Signature=([0-9a-f]{64})")]
    private static partial Regex SignaturePattern();
}
