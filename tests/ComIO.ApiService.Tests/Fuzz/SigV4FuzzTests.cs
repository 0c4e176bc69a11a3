using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Tests.Authentication;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace ComIO.ApiService.Tests.Fuzz;

/// <summary>
/// Hostile SigV4 input. Seeds are real requests signed by the AWS SDK (header-signed GET, ListObjectsV2 with awkward
/// parameters, aws-chunked PUT, presigned GET), captured as they reached Kestrel. Every mutation (Authorization header,
/// request target, query parameters, signed header values, duplicated/removed/huge headers, method) must either be
/// refused with a 4xx <see cref="S3Exception"/> or, when it authenticates, mean exactly what was signed: same method,
/// decoded path, decoded query and signed header values. Random Authorization headers and presigned queries may only be
/// refused cleanly.
/// </summary>
public sealed class SigV4FuzzTests
{
    private const string AccessKey = "AKIDCOMIOFUZZ00001";
    private const string Secret = "comio/Fuzz+Secret=Key0123456789abcdef";
    private const string Bucket = "fuzz-bucket";

    private static readonly string[] Tokens =
    [
        "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ", "AWS4-ECDSA-P256-SHA256", "Credential=", "SignedHeaders=", "Signature=", ",", ", ", "=", ";", "/", "//", "%", "%2F", "%2f",
        "%25", "%00", "%FF", "%C0%AE", "+", "&", "?", "#", " ", "\t", "aws4_request", "s3", "us-east-1", "20250101", "99991231", "00010101", "T000000Z", "host", "x-amz-date",
        "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Signature=", "X-Amz-Credential=", "X-Amz-Expires=604801", "X-Amz-Expires=0", "X-Amz-Date=", "X-Amz-SignedHeaders=",
        "X-Amz-Content-Sha256=STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "..", "../", "%2e%2e%2f", "..%2f", "\u00FC",
        "\uD800", "\0", new string('f', 64), "-1", "2147483648",
    ];

    private static readonly string[] HeaderNames = ["host", "x-amz-date", "x-amz-content-sha256", "range", "x-amz-decoded-content-length", "authorization", "date", "x-amz-trailer", "content-encoding"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Authenticate_MutatedSdkSignedRequest_RefusesOrMeansExactlyWhatWasSigned()
    {
        var seeds = await CaptureSeedsAsync();
        var run = FuzzRun.Start(nameof(Authenticate_MutatedSdkSignedRequest_RefusesOrMeansExactlyWhatWasSigned));
        var authenticator = NewAuthenticator();
        foreach (var seed in seeds)
        {
            Assert.Equal(AccessKey, authenticator.Authenticate(seed.ToHttpContext()).AccessKeyId);
        }

        var iterations = 6000 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            var seed = seeds[run.Random.Next(seeds.Count)];
            var mutant = Mutate(run.Random, seed);
            CheckAuthenticate(run, authenticator, seed, mutant);
        }

        run.Report();
    }

    [Theory]
    [InlineData("%2B", "+", "a+")]
    [InlineData("%20", "+", "a ")]
    public async Task Authenticate_QueryCharacterResentAsRawPlus_HandlersSeeWhatWasSigned(string signedAs, string resentAs, string expected)
    {
        // Found by the mutation fuzzer: "start-after=a%2B" re-sent as "start-after=a+" verified (the '+' taken as a
        // literal) while ASP.NET Core, and so the handler, read "a ".
        await using var server = await S3CaptureServer.StartAsync(authenticator: null);
        using var client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, Secret), new AmazonS3Config
        {
            ServiceURL = server.BaseAddress.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
        await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, StartAfter = expected }, Ct);
        var captured = Assert.Single(server.Requests);
        Assert.Contains("start-after=a" + signedAs, captured.RawTarget, StringComparison.Ordinal);
        var context = (captured with { RawTarget = captured.RawTarget.Replace("start-after=a" + signedAs, "start-after=a" + resentAs, StringComparison.Ordinal) }).ToHttpContext();

        var result = NewAuthenticator().Authenticate(context);

        Assert.Equal(AccessKey, result.AccessKeyId);
        Assert.Equal(expected, context.Request.Query["start-after"].ToString());
    }

    [Fact]
    public void Authenticate_RandomAuthorizationHeader_ThrowsS3Exception4xx()
    {
        var run = FuzzRun.Start(nameof(Authenticate_RandomAuthorizationHeader_ThrowsS3Exception4xx));
        var authenticator = NewAuthenticator();
        var date = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var iterations = 5000 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            var header = RandomAuthorization(run.Random, date);
            var context = CapturedRequest.Build("GET", "/" + Bucket + "/k", ("Host", "localhost"), ("x-amz-date", date), ("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
                ("Authorization", header));
            run.Check(header, () =>
            {
                _ = SigV4Authenticator.PeekAccessKeyId(context);
                var result = authenticator.Authenticate(context);
                if (!result.IsAnonymous || header.Length > 0)
                {
                    run.Fail(header, $"authenticated as {result.AccessKeyId ?? "anonymous"}");
                }
            }, FuzzRun.IsCleanRejection);
        }

        run.Report();
    }

    [Fact]
    public void Authenticate_RandomPresignedQuery_ThrowsS3Exception4xx()
    {
        var run = FuzzRun.Start(nameof(Authenticate_RandomPresignedQuery_ThrowsS3Exception4xx));
        var authenticator = NewAuthenticator();
        var now = DateTimeOffset.UtcNow;
        var iterations = 5000 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            var target = "/" + Bucket + "/k?" + RandomPresignedQuery(run.Random, now);
            run.Check(target, () =>
            {
                var context = CapturedRequest.Build("GET", target, ("Host", "localhost"));
                _ = SigV4Authenticator.PeekAccessKeyId(context);
                var result = authenticator.Authenticate(context);
                if (!result.IsAnonymous)
                {
                    run.Fail($"{target} authenticated as {result.AccessKeyId}");
                }
            }, FuzzRun.IsCleanRejection);
        }

        run.Report();
    }

    [Fact]
    public async Task Authenticate_HugeOrRepeatedHeaderParts_ThrowsS3Exception4xx()
    {
        var seeds = await CaptureSeedsAsync();
        var signed = seeds[0];
        var authorization = signed.Header("Authorization")!;
        var run = FuzzRun.Start(nameof(Authenticate_HugeOrRepeatedHeaderParts_ThrowsS3Exception4xx));
        var authenticator = NewAuthenticator();
        var huge = new string('a', 1024 * 1024);
        var cases = new List<(string Name, CapturedRequest Request)>
        {
            ("1 MB Authorization", signed.WithHeader("Authorization", authorization + huge)),
            ("1 MB credential", signed.WithHeader("Authorization", authorization.Replace("Credential=", "Credential=" + huge, StringComparison.Ordinal))),
            ("100k credential slashes", signed.WithHeader("Authorization", authorization.Replace("Credential=", "Credential=" + new string('/', 100_000), StringComparison.Ordinal))),
            ("100k signed headers", signed.WithHeader("Authorization", authorization.Replace("SignedHeaders=", "SignedHeaders=" + string.Concat(Enumerable.Repeat("host;", 100_000)), StringComparison.Ordinal))),
            ("1 MB signed header value", signed.WithHeader("x-amz-content-sha256", huge)),
            ("1 MB x-amz-date", signed.WithHeader("x-amz-date", huge)),
            ("1 MB range (signed)", signed.WithHeader("Range", "bytes=0-" + huge)),
            ("Authorization with two values", signed.WithValues("Authorization", authorization, authorization)),
            ("two x-amz-date values", signed.WithValues("x-amz-date", signed.Header("x-amz-date")!, signed.Header("x-amz-date")!)),
            ("two host values", signed.WithValues("Host", signed.Header("Host")!, "evil.example")),
            ("100k query parameters", signed with { RawTarget = signed.RawTarget + (signed.RawTarget.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", Enumerable.Range(0, 100_000).Select(i => $"p{i}=v")) }),
            ("1 MB path", signed with { RawTarget = "/" + Bucket + "/" + huge }),
            ("both header and query auth", signed with { RawTarget = signed.RawTarget + (signed.RawTarget.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "X-Amz-Algorithm=AWS4-HMAC-SHA256" }),
        };
        foreach (var presigned in seeds.Where(s => s.RawTarget.Contains("X-Amz-Signature", StringComparison.Ordinal)))
        {
            cases.Add(("presigned with 1 MB credential", presigned with { RawTarget = presigned.RawTarget.Replace("X-Amz-Credential=", "X-Amz-Credential=" + huge, StringComparison.Ordinal) }));
            cases.Add(("presigned with repeated signature", presigned with { RawTarget = presigned.RawTarget + "&X-Amz-Signature=" + new string('0', 64) }));
            cases.Add(("presigned with 100k signed headers", presigned with { RawTarget = presigned.RawTarget.Replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=" + string.Concat(Enumerable.Repeat("host%3B", 100_000)) + "host", StringComparison.Ordinal) }));
            cases.Add(("presigned expiring in int.MaxValue seconds", presigned with { RawTarget = ReplaceQueryValue(presigned.RawTarget, "X-Amz-Expires", "2147483647") }));
            cases.Add(("presigned dated year 9999", presigned with { RawTarget = ReplaceQueryValue(presigned.RawTarget, "X-Amz-Date", "99991231T235959Z") }));
            cases.Add(("presigned dated year 1", presigned with { RawTarget = ReplaceQueryValue(presigned.RawTarget, "X-Amz-Date", "00010101T000000Z") }));
        }

        foreach (var (name, request) in cases)
        {
            run.Check(name, () =>
            {
                var result = authenticator.Authenticate(request.ToHttpContext());
                run.Fail($"{name} authenticated as {result.AccessKeyId}");
            }, FuzzRun.IsCleanRejection);
        }

        run.Report();
    }

    private static void CheckAuthenticate(FuzzRun run, SigV4Authenticator authenticator, CapturedRequest seed, CapturedRequest mutant)
    {
        var text = mutant.ToString();
        var signedHeaders = SignedHeaderNames(seed);
        var seedContext = seed.ToHttpContext();
        authenticator.Authenticate(seedContext);
        var expected = Meaning(seedContext, seed.RawTarget, signedHeaders);
        run.Check(text, () =>
        {
            var context = mutant.ToHttpContext();
            _ = SigV4Authenticator.PeekAccessKeyId(context);
            var result = authenticator.Authenticate(context);
            if (result.IsAnonymous)
            {
                // Fail-safe: served with no identity at all (e.g. the credentials were cut out of the query, or the target
                // is not origin-form and has no query). Nothing signed is trusted.
                return;
            }

            var actual = Meaning(context, mutant.RawTarget, signedHeaders);
            if (result.AccessKeyId != AccessKey || expected != actual)
            {
                run.Fail(text, $"authenticated as {result.AccessKeyId} but means{Environment.NewLine}{actual}{Environment.NewLine}instead of what was signed:{Environment.NewLine}{expected}");
            }
        }, FuzzRun.IsCleanRejection);
    }

    /// <summary>
    /// What an authenticated request asks the service to do, as the router and handlers see it: the method, the raw path
    /// decoded once (as the router decodes it), the query parameters as ASP.NET Core parsed them (after authentication,
    /// which may have fixed up how a raw '+' reads; the signature itself excluded) and the values of the headers the seed
    /// signed (whitespace-normalised, as SigV4 canonicalises them).
    /// </summary>
    private static string Meaning(HttpContext context, string rawTarget, string[] signedHeaders)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(q < 0 ? rawTarget : rawTarget[..q]);
        var query = context.Request.Query
            .Where(p => p.Key != "X-Amz-Signature")
            .SelectMany(p => p.Value.Select(v => (Name: p.Key, Value: v ?? "")))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}");
        var builder = new StringBuilder().Append(context.Request.Method).Append('\n').Append(path).Append('\n').AppendJoin("&", query).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = context.Request.Headers[name].Select(v => string.Join(' ', (v ?? "").Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)));
            builder.Append(name).Append(':').AppendJoin(",", values).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>The headers a seed signed (its Authorization header's SignedHeaders, or X-Amz-SignedHeaders when presigned).</summary>
    private static string[] SignedHeaderNames(CapturedRequest seed)
    {
        var authorization = seed.Header("Authorization");
        string list;
        if (authorization is not null)
        {
            var start = authorization.IndexOf("SignedHeaders=", StringComparison.Ordinal) + "SignedHeaders=".Length;
            list = authorization[start..authorization.IndexOf(',', start)];
        }
        else
        {
            var start = seed.RawTarget.IndexOf("X-Amz-SignedHeaders=", StringComparison.Ordinal) + "X-Amz-SignedHeaders=".Length;
            var end = seed.RawTarget.IndexOf('&', start);
            list = Uri.UnescapeDataString(end < 0 ? seed.RawTarget[start..] : seed.RawTarget[start..end]);
        }

        return list.Split(';');
    }

    private static CapturedRequest Mutate(Random random, CapturedRequest seed)
    {
        var mutant = seed;
        var count = random.Next(1, 3);
        for (var i = 0; i < count; i++)
        {
            mutant = random.Next(10) switch
            {
                0 or 1 when mutant.Header("Authorization") is { } authorization => mutant.WithHeader("Authorization", Mutator.Mutate(random, authorization, Tokens)),
                2 or 3 => mutant with { RawTarget = Mutator.Mutate(random, mutant.RawTarget, Tokens) },
                4 => mutant with { RawTarget = Reencode(random, mutant.RawTarget) },
                5 => MutateHeaderValue(random, mutant),
                6 => mutant.WithValues(HeaderNames[random.Next(HeaderNames.Length)], [.. Enumerable.Repeat(mutant.Header(HeaderNames[random.Next(HeaderNames.Length)]) ?? "x", random.Next(1, 3))]),
                7 => mutant.WithHeader(HeaderNames[random.Next(HeaderNames.Length)], null),
                8 => mutant with { Method = random.Next(4) switch { 0 => "PUT", 1 => "GET", 2 => "get", _ => "DELETE" } },
                _ => mutant.WithHeader(HeaderNames[random.Next(HeaderNames.Length)], random.Next(4) == 0 ? new string('x', 1 << 20) : Mutator.Mutate(random, "bytes=0-3", Tokens)),
            };
        }

        return mutant;
    }

    private static CapturedRequest MutateHeaderValue(Random random, CapturedRequest request)
    {
        var name = HeaderNames[random.Next(HeaderNames.Length)];
        var value = request.Header(name);
        return value is null ? request : request.WithHeader(name, Mutator.Mutate(random, value, Tokens));
    }

    /// <summary>An equivalent-looking re-encoding: one percent-escape decoded, or one character percent-encoded (either case).</summary>
    private static string Reencode(Random random, string target)
    {
        if (target.Length == 0)
        {
            return "/";
        }

        var position = random.Next(target.Length);
        var escape = target.IndexOf('%', position);
        if (escape >= 0 && escape + 2 < target.Length && random.Next(2) == 0)
        {
            var decoded = Uri.UnescapeDataString(target.Substring(escape, 3));
            return target[..escape] + decoded + target[(escape + 3)..];
        }

        var c = target[position];
        var encoded = string.Concat(Encoding.UTF8.GetBytes(c.ToString()).Select(b => random.Next(2) == 0 ? $"%{b:X2}" : $"%{b:x2}"));
        return c == '+' && random.Next(2) == 0 ? target[..position] + "%20" + target[(position + 1)..] : target[..position] + encoded + target[(position + 1)..];
    }

    private static string RandomAuthorization(Random random, string date)
    {
        string Pick(params string[] options) => options[random.Next(options.Length)];
        var parts = new List<string>();
        var count = random.Next(0, 5);
        for (var i = 0; i < count; i++)
        {
            parts.Add(random.Next(6) switch
            {
                0 => "Credential=" + Pick(AccessKey, "", "OTHER", AccessKey + "/x") + "/" + Pick(date[..8], "2025", "", "99999999") + "/" + Pick("us-east-1", "", "/") + "/" + Pick("s3", "iam") + "/" + Pick("aws4_request", "", "aws4_request/x"),
                1 => "SignedHeaders=" + Pick("host", "host;x-amz-date", "", "Host", "host;;x", "x-amz-date", "host;" + new string('a', 300)),
                2 => "Signature=" + Pick(new string('0', 64), new string('G', 64), "", new string('a', 63), new string('a', 65)),
                3 => Pick("=", "x=y", "Credential", "Signature", ""),
                4 => Mutator.Mutate(random, "Credential=" + AccessKey + "/" + date[..8] + "/us-east-1/s3/aws4_request", Tokens),
                _ => Encoding.UTF8.GetString(Mutator.RandomBytes(random, 40, Tokens)),
            });
        }

        return Pick("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256", "AWS4-X ", "AWS ", "", "aws4-hmac-sha256 ") + string.Join(Pick(",", ", ", " ,", ";"), parts);
    }

    private static string RandomPresignedQuery(Random random, DateTimeOffset now)
    {
        string Pick(params string[] options) => options[random.Next(options.Length)];
        var date = now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var parameters = new List<string> { "X-Amz-Algorithm=" + Pick("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256", "", "AWS4-ECDSA-P256-SHA256", "aws4-hmac-sha256") };
        if (random.Next(5) > 0)
        {
            parameters.Add("X-Amz-Credential=" + Pick(AccessKey, "OTHER", "") + Pick("%2F", "/", "%2f") + Pick(date[..8], "00010101", "") + "%2Fus-east-1%2Fs3%2Faws4_request");
        }

        if (random.Next(5) > 0)
        {
            parameters.Add("X-Amz-Date=" + Pick(date, "99991231T235959Z", "00010101T000000Z", "2025", ""));
        }

        if (random.Next(5) > 0)
        {
            parameters.Add("X-Amz-Expires=" + Pick("1", "0", "-1", "604800", "604801", "2147483647", "99999999999", "1e3", " 5"));
        }

        if (random.Next(5) > 0)
        {
            parameters.Add("X-Amz-SignedHeaders=" + Pick("host", "", "host%3Bx", "Host", "x"));
        }

        if (random.Next(5) > 0)
        {
            parameters.Add("X-Amz-Signature=" + Pick(new string('0', 64), new string('z', 64), "", "00"));
        }

        if (random.Next(4) == 0)
        {
            parameters.Add("X-Amz-Content-Sha256=" + Pick("UNSIGNED-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", new string('0', 64), "x"));
        }

        if (random.Next(3) == 0)
        {
            parameters.Add(parameters[random.Next(parameters.Count)]);
        }

        var query = string.Join("&", parameters.OrderBy(_ => random.Next()));
        return random.Next(3) == 0 ? Mutator.Mutate(random, query, Tokens) : query;
    }

    private static string ReplaceQueryValue(string target, string name, string value)
    {
        var start = target.IndexOf(name + "=", StringComparison.Ordinal) + name.Length + 1;
        var end = target.IndexOf('&', start);
        return target[..start] + value + (end < 0 ? "" : target[end..]);
    }


    private static SigV4Authenticator NewAuthenticator() =>
        new(new InMemoryCredentialStore([new(AccessKey, Secret)]), TimeProvider.System, new SigV4Options());

    /// <summary>Requests signed by the real AWS SDK, captured as Kestrel received them.</summary>
    private static async Task<List<CapturedRequest>> CaptureSeedsAsync()
    {
        await using var server = await S3CaptureServer.StartAsync(authenticator: null);
        using var client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, Secret), new AmazonS3Config
        {
            ServiceURL = server.BaseAddress.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
        using (await client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "dir/ü b+c.txt", ByteRange = new ByteRange(0, 3) }, Ct))
        {
        }

        await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "a b+c/%2F~", Delimiter = "/", StartAfter = "a+", MaxKeys = 7 }, Ct);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "up/load.bin", InputStream = new MemoryStream(new byte[1000]) }, Ct);
        var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = "pre/signed+key ü.txt",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(30),
            Protocol = Amazon.S3.Protocol.HTTP,
        });
        var uri = new Uri(url);
        var pathStart = url.IndexOf('/', url.IndexOf("://", StringComparison.Ordinal) + 3);
        var seeds = server.Requests.ToList();
        seeds.Add(new CapturedRequest("GET", url[pathStart..], [new("Host", [uri.Authority])], []));
        Assert.Equal(4, seeds.Count);
        return seeds;
    }
}
