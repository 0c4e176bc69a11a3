using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Fuzz;

/// <summary>
/// Hostile object keys, bucket names, CreateBucketConfiguration bodies and oversized request heads, end to end through a
/// whole in-process site (real Kestrel, real storage nodes). Every request gets a 4xx S3 error or succeeds; a
/// successful PUT is stored under exactly the key the raw path names (decoded once), never in another bucket; nothing
/// answers 5xx and the service stays up.
/// </summary>
public sealed partial class KeyAndBucketNameFuzzTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static readonly string[] KeyPieces =
    [
        "../", "..", ".", "./", "%2e%2e%2f", "%2E%2E%2F", "..%2f", "%2e%2e/", "..%5c", "..\\", "%2F", "/", "//", "%00", "%01", "%0A", "%0D", "%1F", "%7F", "%C0%AE",
        "%C0%AF", "%E0%80%AE", "%ED%A0%80", "%ED%BF%BF", "%F4%90%80%80", "%FF", "%FE", "%", "%%", "%zz", "%4", "+", ";", "%3F", "%23", "%20", "~", "a", "key", "%C3%A9",
        "%F0%9F%98%80", "%E2%80%AE", "%EF%BB%BF",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutObject_HostileKeys_StoredExactlyUnderThatKeyOrRefusedWith4xx()
    {
        var victim = await cluster.CreateBucketAsync("victim");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = victim, Key = "secret", ContentBody = "victim-data" }, Ct);
        var target = await cluster.CreateBucketAsync("fuzzkeys");
        var bucketsBefore = (await cluster.S3.ListBucketsAsync(Ct)).Buckets.Select(b => b.BucketName).Order().ToList();
        var run = FuzzRun.Start(nameof(PutObject_HostileKeys_StoredExactlyUnderThatKeyOrRefusedWith4xx));

        var keys = new List<string>
        {
            "../" + victim + "/secret", "..%2f" + victim + "%2fsecret", "%2e%2e%2f" + victim + "%2fsecret", "%2E%2E/%2E%2E/" + victim + "/secret", "/../" + victim + "/secret",
            "./../../" + victim, victim, victim + "/secret", "/" + victim + "/secret", "//" + victim, "//", "/", "a//b", ".", "..", "...", "%2e", "%2e%2e",
            "%00", "a%00b", "%00/../" + victim, "%01%02%1F%7F", "%0D%0AX-Injected:%201", "%C0%AE%C0%AE%C0%AF", "%E0%80%AE", "%ED%A0%80", "%ED%B0%80", "%F4%90%80%80",
            "%FF%FE", "%", "%zz", "100%", "+plus+", "%2B", "%3F?x=1", "%23frag", "%EF%BB%BFbom", "%E2%80%AEevil", new string('k', 1024), new string('k', 1025),
            string.Concat(Enumerable.Repeat("%C3%A9", 512)), string.Concat(Enumerable.Repeat("%C3%A9", 513)) , string.Concat(Enumerable.Repeat("../", 400)),
        };
        var iterations = 300 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            keys.Add(string.Concat(Enumerable.Range(0, run.Random.Next(1, 8)).Select(_ => run.Random.Next(6) == 0 ? victim : KeyPieces[run.Random.Next(KeyPieces.Length)])));
        }

        for (var i = 0; i < keys.Count; i++)
        {
            var rawKey = keys[i];
            var body = $"body-{i}";
            await run.CheckAsync(rawKey, async () =>
            {
                var (status, response) = await cluster.Wire.SendRawAsync("PUT", $"/{target}/{rawKey}",
                    [("Content-Length", Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture))], Encoding.UTF8.GetBytes(body), S3Wire.UnsignedPayload);
                if (status is 0 or >= 500)
                {
                    run.Fail(rawKey, $"answered {status}: {response}");
                }

                var queryStart = rawKey.IndexOf('?', StringComparison.Ordinal);
                var expected = DecodeOnce(queryStart < 0 ? rawKey : rawKey[..queryStart]);
                if (status == 200)
                {
                    if (expected is null || Encoding.UTF8.GetByteCount(expected) > 1024)
                    {
                        run.Fail(rawKey, $"stored although its key is {(expected is null ? "not UTF-8" : "longer than 1,024 bytes")}");
                    }

                    var (getStatus, stored) = await GetExactAsync(target, expected!);
                    if (getStatus != 200 || !stored.EndsWith("\r\n\r\n" + body, StringComparison.Ordinal))
                    {
                        run.Fail(rawKey, $"PUT answered 200 but GET of key {FuzzRun.Preview(expected!)} answered {getStatus}: {stored}");
                    }
                }
                else if (status is not (400 or 404 or 409 or 411))
                {
                    run.Fail(rawKey, $"answered {status}: {response}");
                }
            }, _ => false);
        }

        var bucketsAfter = (await cluster.S3.ListBucketsAsync(Ct)).Buckets.Select(b => b.BucketName).Order().ToList();
        Assert.Equal(bucketsBefore, bucketsAfter);
        var victimKeys = (await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = victim }, Ct)).S3Objects.Select(o => o.Key).ToList();
        Assert.Equal(["secret"], victimKeys);
        using var secret = await cluster.S3.GetObjectAsync(victim, "secret", Ct);
        Assert.Equal("victim-data", await new StreamReader(secret.ResponseStream).ReadToEndAsync(Ct));
        run.Report();
    }

    [Fact]
    public async Task CreateBucket_HostileNames_CreatesOnlyValidNamesOrRefusesWith4xx()
    {
        var victim = await cluster.CreateBucketAsync("victimb");
        var run = FuzzRun.Start(nameof(CreateBucket_HostileNames_CreatesOnlyValidNamesOrRefusesWith4xx));
        var names = new List<string>
        {
            victim, victim.ToUpperInvariant(), "..", ".", "%2e%2e", "%2e%2e%2f" + victim, "a/../" + victim, "ab", new string('a', 64), new string('a', 63), "a..b", "-ab", "ab-",
            "192.168.1.1", "xn--abc", "abc-s3alias", "a%00b", "a%2fb", "%C0%AE%C0%AE", "%ED%A0%80abc", "abc%FF", "abc%", "a b", "a_b", "abc.", ".abc", "sthree-abc",
        };
        var iterations = 150 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            names.Add(string.Concat(Enumerable.Range(0, run.Random.Next(1, 6)).Select(_ => run.Random.Next(3) switch
            {
                0 => KeyPieces[run.Random.Next(KeyPieces.Length)],
                1 => ((char)run.Random.Next('a', 'z' + 1)).ToString() + (char)run.Random.Next('0', '9' + 1) + "-x",
                _ => ((char)run.Random.Next(0x21, 0x7F)).ToString(),
            })));
        }

        foreach (var name in names)
        {
            await run.CheckAsync(name, async () =>
            {
                var (status, response) = await cluster.Wire.SendRawAsync("PUT", "/" + name, [("Content-Length", "0")], [], S3Wire.UnsignedPayload);
                if (status is 0 or >= 500 || (status != 200 && status >= 300 && status is not (400 or 403 or 404 or 405 or 409 or 411)))
                {
                    run.Fail(name, $"answered {status}: {response}");
                }

                // Only a path of one segment ("/name" or "/name/") creates a bucket; "/name/key" would be a PutObject.
                var queryStart = name.IndexOf('?', StringComparison.Ordinal);
                var path = queryStart < 0 ? name : name[..queryStart];
                var slash = path.IndexOf('/', StringComparison.Ordinal);
                var createsBucket = slash < 0 || slash == path.Length - 1;
                var bucket = DecodeOnce(slash < 0 ? path : path[..slash]);
                if (status == 200 && createsBucket && (bucket is null || !ValidBucketName().IsMatch(bucket)))
                {
                    run.Fail(name, "created a bucket with an invalid name");
                }
            }, _ => false);
        }

        var victimKeys = (await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = victim }, Ct)).S3Objects;
        Assert.Empty(victimKeys ?? []);
        run.Report();
    }

    [Theory]
    [InlineData("PUT", "/../p")]
    [InlineData("PUT", "/%2e%2e/p")]
    [InlineData("GET", "/../p")]
    [InlineData("PUT", "/./p")]
    [InlineData("PUT", "/..")]
    [InlineData("DELETE", "/%2E%2E")]
    [InlineData("GET", "/..?list-type=2")]
    public async Task AnyRequest_DotSegmentAsBucket_Returns400InvalidBucketName(string method, string path)
    {
        // Found by CreateBucket_HostileNames_CreatesOnlyValidNamesOrRefusesWith4xx: "PUT /../p" answered 500 (the bucket ".."
        // walked up the storage node's internal API path).
        var (status, response) = await cluster.Wire.SendRawAsync(method, path, [("Content-Length", "1")], "x"u8.ToArray(), S3Wire.UnsignedPayload);

        Assert.Equal(400, status);
        Assert.Contains("<Code>InvalidBucketName</Code>", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateBucket_HostileConfigurationBody_SucceedsOrRefusesWith4xx()
    {
        var run = FuzzRun.Start(nameof(CreateBucket_HostileConfigurationBody_SucceedsOrRefusesWith4xx));
        var seed = Encoding.UTF8.GetBytes(
            $"<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>{ComIOCluster.Region}</LocationConstraint></CreateBucketConfiguration>");
        var bodies = new List<(string Name, byte[] Body, bool MustFail)> { ("seed", seed, false) };
        bodies.AddRange(XmlBodyParsers.Bombs("CreateBucketConfiguration").Select(b => (b.Name, b.Body, true)));
        bodies.AddRange(XmlBodyParsers.Huge("CreateBucketConfiguration", Encoding.UTF8.GetString(seed)).Where(b => b.Body.Length < 64 * 1024).Select(b => (b.Name, b.Body, false)));
        bodies.Add(("100k nested (over 64 KiB)", Encoding.UTF8.GetBytes("<CreateBucketConfiguration>" + string.Concat(Enumerable.Repeat("<a>", 100_000)) + "</CreateBucketConfiguration>"), true));
        var iterations = 120 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            var body = run.Random.Next(4) == 0 ? Mutator.RandomBytes(run.Random, 300, XmlBodyParsers.Tokens) : Mutator.Mutate(run.Random, seed, XmlBodyParsers.Tokens);
            bodies.Add((FuzzRun.Preview(body), body, false));
        }

        foreach (var (name, body, mustFail) in bodies)
        {
            await run.CheckAsync(name, async () =>
            {
                var bucket = cluster.NewBucketName("cfg");
                var (status, response) = await cluster.Wire.SendRawAsync("PUT", "/" + bucket,
                    [("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture))], body, S3Wire.UnsignedPayload);
                if (status is 0 or >= 500 || (status != 200 && status < 400) || (mustFail && status == 200))
                {
                    run.Fail(name, $"answered {status}: {response}");
                }
            }, _ => false);
        }

        run.Report();
    }

    [Theory]
    [InlineData(100_000, 20)]
    [InlineData(1, 1024 * 1024)]
    [InlineData(1, 64 * 1024)]
    [InlineData(500, 100)]
    public async Task AnyRequest_OversizedRequestHead_Answers4xxAndServiceStaysUp(int headerCount, int valueLength)
    {
        var value = new string('v', valueLength);
        var head = new StringBuilder($"GET / HTTP/1.1\r\nHost: {cluster.Endpoint.Authority}\r\nConnection: close\r\n");
        for (var i = 0; i < headerCount; i++)
        {
            head.Append(CultureInfo.InvariantCulture, $"x-fuzz-{i}: {value}\r\n");
        }

        var (status, response) = await SendHeadAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));

        // Kestrel answers 431 (Request Header Fields Too Large) and closes; if it closes while we are still writing the
        // answer may be lost (status 0), which is still a clean refusal as long as the service keeps serving.
        Assert.True(status is 0 or 400 or 431, $"Unexpected answer {status}: {FuzzRun.Preview(response)}");
        var buckets = await cluster.S3.ListBucketsAsync(Ct);
        Assert.NotNull(buckets);
        TestContext.Current.TestOutputHelper?.WriteLine($"{headerCount} headers of {valueLength} bytes: {status}");
    }

    /// <summary>Percent-decodes once to UTF-8 bytes (a '%' without two hex digits is literal) and decodes strictly; null when not UTF-8.</summary>
    private static string? DecodeOnce(string raw)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%' && i + 2 < raw.Length && char.IsAsciiHexDigit(raw[i + 1]) && char.IsAsciiHexDigit(raw[i + 2]))
            {
                bytes.Add(byte.Parse(raw.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(raw[i].ToString()));
            }
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>GETs a key with every byte percent-encoded (no dot segment or slash can be reinterpreted on the way).</summary>
    private async Task<(int Status, string Response)> GetExactAsync(string bucket, string key)
    {
        var path = "/" + bucket + "/" + string.Concat(Encoding.UTF8.GetBytes(key).Select(b => $"%{b:X2}"));
        return await cluster.Wire.SendRawAsync("GET", path, [], [], S3Wire.UnsignedPayload);
    }

    /// <summary>Writes a raw request head and returns the status and answer; a reset while writing or reading ends the answer.</summary>
    private async Task<(int Status, string Response)> SendHeadAsync(byte[] head)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(cluster.Endpoint.Host, cluster.Endpoint.Port, timeout.Token);
        var stream = client.GetStream();
        var received = new MemoryStream();
        try
        {
            await stream.WriteAsync(head, timeout.Token);
            await stream.FlushAsync(timeout.Token);
        }
        catch (IOException)
        {
            // The server refused the head before it was all written; read what it answered.
        }

        try
        {
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (IOException)
        {
            // Reset after (or instead of) an answer.
        }

        var text = Encoding.ASCII.GetString(received.ToArray());
        return (text.Length >= 12 && text.StartsWith("HTTP/", StringComparison.Ordinal) ? int.Parse(text.AsSpan(9, 3), CultureInfo.InvariantCulture) : 0, text);
    }

    /// <summary>AWS bucket naming rules (3–63 characters of lower-case letters, digits, '.' and '-'; letter or digit at both ends).</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex ValidBucketName();
}
