using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Protocol.Errors;
using Xunit;

namespace ComIO.ApiService.Tests.Authentication;

/// <summary>
/// Requests signed by the real AWSSDK.S3 4.x client, captured as they reach Kestrel (or the SDK's HttpClient),
/// verified by <see cref="SigV4Authenticator"/> both in the live pipeline and when replayed.
/// </summary>
public sealed class SigV4AuthenticatorSdkTests
{
    private const string AccessKey = "AKIDCOMIOTEST00001";
    private const string Secret = "comio/Secret+Key=Example0123456789abcd";
    private const string Bucket = "test-bucket";

    public static TheoryData<string> Keys =>
    [
        "plain.txt",
        "with space.txt",
        "a+b=c&d.txt",
        "100%.txt",
        "tilde~name",
        "dir/sub/deep/key.bin",
        "ünïcödé/ключ/日本.txt",
        "special !'()*@$,;:.txt",
        "double//slash",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SigV4Authenticator NewAuthenticator(TimeProvider? time = null, string secret = Secret)
        => new(new InMemoryCredentialStore([new(AccessKey, secret)]), time ?? TimeProvider.System, new SigV4Options());

    private static AmazonS3Client NewClient(Uri serviceUrl, Action<AmazonS3Config>? configure = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = serviceUrl.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        };
        configure?.Invoke(config);
        return new AmazonS3Client(new BasicAWSCredentials(AccessKey, Secret), config);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Authenticate_SdkPutObjectDefaults_VerifiesAndDecodesBody(string key)
    {
        await using var server = await S3CaptureServer.StartAsync(NewAuthenticator());
        using var client = NewClient(server.BaseAddress);
        var content = Encoding.UTF8.GetBytes("hello, " + key);

        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(content) }, Ct);

        var captured = Assert.Single(server.Requests);
        Assert.Null(captured.LiveError);
        Assert.Equal(AccessKey, captured.LiveResult!.AccessKeyId);
        var replayed = NewAuthenticator().Authenticate(captured.ToHttpContext());
        Assert.Equal(captured.LiveResult.Payload, replayed.Payload);
        var (decoded, trailers) = await ReadBodyAsync(replayed, captured.Body);
        Assert.Equal(content, decoded);
        if (replayed.DeclaredTrailer is { } trailer)
        {
            Assert.Equal("x-amz-checksum-crc32", trailer);
            Assert.Equal(Crc32Reference.Base64(content), trailers[trailer]);
        }
    }

    [Fact]
    public async Task Authenticate_SdkPutObjectOverHttp_UsesSignedStreamingWithTrailerAndVerifiesEveryChunk()
    {
        await using var server = await S3CaptureServer.StartAsync(NewAuthenticator());
        using var client = NewClient(server.BaseAddress);
        var content = new byte[300_000];
        new Random(7).NextBytes(content);

        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "big.bin", InputStream = new MemoryStream(content) }, Ct);

        var captured = Assert.Single(server.Requests);
        Assert.Null(captured.LiveError);
        Assert.Equal(PayloadMode.StreamingSignedTrailer, captured.LiveResult!.Payload);
        Assert.Equal(content.Length, captured.LiveResult.DecodedContentLength);
        var (decoded, trailers) = await ReadBodyAsync(captured.LiveResult, captured.Body);
        Assert.Equal(content, decoded);
        Assert.Equal(Crc32Reference.Base64(content), trailers["x-amz-checksum-crc32"]);

        // Flip one data byte in the middle of the first chunk: its chunk signature must fail.
        var tampered = (byte[])captured.Body.Clone();
        var firstData = Array.IndexOf(tampered, (byte)'\n') + 1;
        tampered[firstData + 100] ^= 0x01;
        var error = await Assert.ThrowsAsync<S3Exception>(() => ReadBodyAsync(captured.LiveResult, tampered));
        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);

        // Change the trailer value: the trailer signature must fail.
        var text = Encoding.ASCII.GetString(captured.Body);
        var crcLine = text.IndexOf("x-amz-checksum-crc32:", StringComparison.Ordinal);
        var badTrailer = (byte[])captured.Body.Clone();
        badTrailer[crcLine + "x-amz-checksum-crc32:".Length] ^= 0x02;
        error = await Assert.ThrowsAsync<S3Exception>(() => ReadBodyAsync(captured.LiveResult, badTrailer));
        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Authenticate_SdkPutObjectWithoutChunkEncoding_VerifiesPayloadHash(bool whenRequiredChecksums)
    {
        await using var server = await S3CaptureServer.StartAsync(NewAuthenticator());
        using var client = NewClient(server.BaseAddress, c =>
        {
            if (whenRequiredChecksums)
            {
                c.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            }
        });
        var content = Encoding.UTF8.GetBytes("single chunk body");

        await client.PutObjectAsync(
            new PutObjectRequest { BucketName = Bucket, Key = "a b/c+d.txt", InputStream = new MemoryStream(content), UseChunkEncoding = false },
            Ct);

        var captured = Assert.Single(server.Requests);
        Assert.Null(captured.LiveError);
        var result = captured.LiveResult!;
        Assert.Equal(PayloadMode.SignedSha256, result.Payload);
        var (decoded, _) = await ReadBodyAsync(result, captured.Body);
        Assert.Equal(content, decoded);

        var tampered = (byte[])captured.Body.Clone();
        tampered[0] ^= 1;
        var error = await Assert.ThrowsAsync<S3Exception>(() => ReadBodyAsync(result, tampered));
        Assert.Equal(S3ErrorCode.XAmzContentSHA256Mismatch, error.Error);
    }

    [Fact]
    public async Task Authenticate_SdkPutObjectWithoutChecksum_UsesSignedStreamingWithoutTrailer()
    {
        await using var server = await S3CaptureServer.StartAsync(NewAuthenticator());
        using var client = NewClient(server.BaseAddress, c => c.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED);
        var content = new byte[150_000];
        new Random(3).NextBytes(content);

        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "plain-stream.bin", InputStream = new MemoryStream(content) }, Ct);

        var captured = Assert.Single(server.Requests);
        Assert.Null(captured.LiveError);
        Assert.Equal(PayloadMode.StreamingSigned, captured.LiveResult!.Payload);
        var (decoded, trailers) = await ReadBodyAsync(captured.LiveResult, captured.Body);
        Assert.Equal(content, decoded);
        Assert.Empty(trailers);
    }

    [Theory]
    [InlineData(false, false, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")]
    [InlineData(true, false, "STREAMING-UNSIGNED-PAYLOAD-TRAILER")]
    [InlineData(true, true, "UNSIGNED-PAYLOAD")]
    public async Task Authenticate_SdkPutObjectOverHttps_DecodesBodyAndChecksum(bool disablePayloadSigning, bool checksumWhenRequired, string expectedContentSha256)
    {
        var factory = new CapturingHttpClientFactory();
        using var client = NewClient(new Uri("https://s3.comio.test"), c =>
        {
            c.HttpClientFactory = factory;
            if (checksumWhenRequired)
            {
                c.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            }
        });
        var content = new byte[200_000];
        new Random(11).NextBytes(content);

        await client.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = Bucket,
                Key = "tls/object+1.bin",
                InputStream = new MemoryStream(content),
                DisablePayloadSigning = disablePayloadSigning,
                UseChunkEncoding = !checksumWhenRequired,
            },
            Ct);

        var captured = Assert.Single(factory.Requests);
        Assert.Equal(expectedContentSha256, captured.Header("x-amz-content-sha256"));
        var result = NewAuthenticator().Authenticate(captured.ToHttpContext());
        var (decoded, trailers) = await ReadBodyAsync(result, captured.Body);
        Assert.Equal(content, decoded);
        if (result.IsStreaming)
        {
            Assert.Equal(Crc32Reference.Base64(content), trailers["x-amz-checksum-crc32"]);
        }
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Authenticate_SdkGetObject_Verifies(string key)
    {
        await using var server = await S3CaptureServer.StartAsync(NewAuthenticator());
        using var client = NewClient(server.BaseAddress);

        using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = new ByteRange(0, 3) }, Ct);

        var captured = Assert.Single(server.Requests);
        Assert.Null(captured.LiveError);
        Assert.False(captured.LiveResult!.IsAnonymous);
        Assert.Equal("us-east-1", captured.LiveResult.Region);
        Assert.Equal(AccessKey, NewAuthenticator().Authenticate(captured.ToHttpContext()).AccessKeyId);
    }

    [Fact]
    public async Task Authenticate_SdkListObjectsV2WithAwkwardParameters_Verifies()
    {
        await using var server = await S3CaptureServer.StartAsync(NewAuthenticator());
        using var client = NewClient(server.BaseAddress);

        await client.ListObjectsV2Async(
            new ListObjectsV2Request
            {
                BucketName = Bucket,
                Prefix = "a b+c/ü~%2F/*",
                Delimiter = "/",
                StartAfter = "a b+c/ü~0",
                MaxKeys = 17,
                ContinuationToken = "tok+en/==",
                FetchOwner = true,
            },
            Ct);

        var captured = Assert.Single(server.Requests);
        Assert.Null(captured.LiveError);
        Assert.Contains("list-type=2", captured.RawTarget, StringComparison.Ordinal);
        NewAuthenticator().Authenticate(captured.ToHttpContext());
    }

    [Fact]
    public async Task Authenticate_WrongSecret_ThrowsSignatureDoesNotMatch()
    {
        await using var server = await S3CaptureServer.StartAsync(NewAuthenticator(secret: "not-the-secret"));
        using var client = NewClient(server.BaseAddress);

        await Assert.ThrowsAnyAsync<AmazonServiceException>(() => client.GetObjectAsync(Bucket, "k", Ct));

        var captured = Assert.Single(server.Requests);
        var error = Assert.IsType<S3Exception>(captured.LiveError);
        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
        Assert.Contains(error.ExtraElements, e => e.Key == "CanonicalRequest");
    }

    [Fact]
    public async Task Authenticate_UnknownAccessKey_ThrowsInvalidAccessKeyId()
    {
        var captured = await CaptureGetAsync("k");
        var authenticator = new SigV4Authenticator(new InMemoryCredentialStore([new("OTHER", Secret)]), TimeProvider.System, new SigV4Options());

        var error = Assert.Throws<S3Exception>(() => authenticator.Authenticate(captured.ToHttpContext()));

        Assert.Equal(S3ErrorCode.InvalidAccessKeyId, error.Error);
    }

    [Theory]
    [InlineData("x-amz-date", null)]
    [InlineData("Range", "bytes=0-4")]
    [InlineData("Host", "evil.example:80")]
    [InlineData("x-amz-content-sha256", "0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Authenticate_SignedHeaderChangedAfterSigning_ThrowsSignatureDoesNotMatch(string header, string? replacement)
    {
        var captured = await CaptureGetAsync("k");
        if (header == "x-amz-date")
        {
            // Same day, one second later: still inside the skew window, but not what was signed.
            var date = captured.Header("x-amz-date")!;
            replacement = date[..^3] + (date[^3] == '5' ? "4" : "5") + date[^2..];
        }

        var error = Assert.Throws<S3Exception>(() => NewAuthenticator().Authenticate(captured.WithHeader(header, replacement).ToHttpContext()));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Theory]
    [InlineData("partNumber=1")]
    [InlineData("versionId=abc")]
    public async Task Authenticate_QueryChangedAfterSigning_ThrowsSignatureDoesNotMatch(string extra)
    {
        var captured = await CaptureGetAsync("k");
        var target = captured.RawTarget + (captured.RawTarget.Contains('?', StringComparison.Ordinal) ? "&" : "?") + extra;

        var error = Assert.Throws<S3Exception>(() => NewAuthenticator().Authenticate((captured with { RawTarget = target }).ToHttpContext()));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Fact]
    public async Task Authenticate_PathChangedAfterSigning_ThrowsSignatureDoesNotMatch()
    {
        var captured = await CaptureGetAsync("k1");

        var error = Assert.Throws<S3Exception>(() => NewAuthenticator().Authenticate((captured with { RawTarget = captured.RawTarget.Replace("k1", "k2", StringComparison.Ordinal) }).ToHttpContext()));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(-20)]
    public async Task Authenticate_RequestTimeOutsideSkew_ThrowsRequestTimeTooSkewed(int minutes)
    {
        var captured = await CaptureGetAsync("k");
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow.AddMinutes(minutes));

        var error = Assert.Throws<S3Exception>(() => NewAuthenticator(clock).Authenticate(captured.ToHttpContext()));

        Assert.Equal(S3ErrorCode.RequestTimeTooSkewed, error.Error);
    }

    [Fact]
    public async Task Authenticate_RequestTimeWithinSkew_Succeeds()
    {
        var captured = await CaptureGetAsync("k");
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10));

        Assert.Equal(AccessKey, NewAuthenticator(clock).Authenticate(captured.ToHttpContext()).AccessKeyId);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Authenticate_SdkPresignedGetUrl_VerifiesLiveAndReplayed(string key)
    {
        await using var server = await S3CaptureServer.StartAsync(NewAuthenticator());
        using var client = NewClient(server.BaseAddress);
        var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Protocol = Amazon.S3.Protocol.HTTP,
        });

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(url), Ct);

        var captured = Assert.Single(server.Requests);
        Assert.Null(captured.LiveError);
        Assert.True(captured.LiveResult!.IsPresigned);
        Assert.Equal(PayloadMode.Unsigned, captured.LiveResult.Payload);
        var fromUrl = FromUrl(url);
        Assert.Equal(AccessKey, NewAuthenticator().Authenticate(fromUrl.ToHttpContext()).AccessKeyId);
    }

    [Fact]
    public async Task Authenticate_PresignedUrlPastExpiry_ThrowsAccessDeniedRequestHasExpired()
    {
        using var client = NewClient(new Uri("http://127.0.0.1:9"));
        var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = "k",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddSeconds(60),
            Protocol = Amazon.S3.Protocol.HTTP,
        });
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow.AddMinutes(5));

        var error = Assert.Throws<S3Exception>(() => NewAuthenticator(clock).Authenticate(FromUrl(url).ToHttpContext()));

        Assert.Equal(S3ErrorCode.AccessDenied, error.Error);
        Assert.Equal("Request has expired", error.Message);
    }

    [Theory]
    [InlineData("X-Amz-Expires=", "X-Amz-Expires=9")]
    [InlineData("/k?", "/j?")]
    [InlineData("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host&response-content-type=text%2Fhtml")]
    public async Task Authenticate_PresignedUrlTampered_ThrowsSignatureDoesNotMatch(string find, string replace)
    {
        using var client = NewClient(new Uri("http://127.0.0.1:9"));
        var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = "k",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Protocol = Amazon.S3.Protocol.HTTP,
        });
        Assert.Contains(find, url, StringComparison.Ordinal);

        var error = Assert.Throws<S3Exception>(() => NewAuthenticator().Authenticate(FromUrl(url.Replace(find, replace, StringComparison.Ordinal)).ToHttpContext()));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Fact]
    public async Task Authenticate_SdkPresignedPutUrl_VerifiesAsUnsignedPayload()
    {
        using var client = NewClient(new Uri("http://127.0.0.1:9"));
        var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = "uploads/ä b+c.txt",
            Verb = HttpVerb.PUT,
            Expires = DateTime.UtcNow.AddHours(1),
            Protocol = Amazon.S3.Protocol.HTTP,
        });

        var result = NewAuthenticator().Authenticate((FromUrl(url) with { Method = "PUT" }).ToHttpContext());

        Assert.True(result.IsPresigned);
        Assert.Equal(PayloadMode.Unsigned, result.Payload);
        var error = Assert.Throws<S3Exception>(() => NewAuthenticator().Authenticate(FromUrl(url).ToHttpContext()));
        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Fact]
    public async Task Authenticate_SdkDeleteObjectsAndUploadPart_Verify()
    {
        await using var server = await S3CaptureServer.StartAsync(NewAuthenticator());
        using var client = NewClient(server.BaseAddress);
        var part = new byte[70_000];
        new Random(5).NextBytes(part);

        await IgnoreResponseParsingAsync(() => client.DeleteObjectsAsync(
            new DeleteObjectsRequest { BucketName = Bucket, Objects = [new KeyVersion { Key = "a b" }, new KeyVersion { Key = "c+d&e" }] },
            Ct));
        await IgnoreResponseParsingAsync(() => client.UploadPartAsync(
            new UploadPartRequest { BucketName = Bucket, Key = "multi part", UploadId = "upload/id+1==", PartNumber = 3, InputStream = new MemoryStream(part) },
            Ct));

        Assert.Equal(2, server.Requests.Count);
        foreach (var captured in server.Requests)
        {
            Assert.Null(captured.LiveError);
            var (decoded, _) = await ReadBodyAsync(captured.LiveResult!, captured.Body);
            if (captured.Method == "PUT")
            {
                Assert.Contains("uploadId=", captured.RawTarget, StringComparison.Ordinal);
                Assert.Equal(part, decoded);
            }
            else
            {
                Assert.Contains("delete", captured.RawTarget, StringComparison.Ordinal);
                Assert.Contains("<Key>c+d&amp;e</Key>", System.Text.Encoding.UTF8.GetString(decoded), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Authenticate_SdkVirtualHostedStyle_Verifies()
    {
        var factory = new CapturingHttpClientFactory();
        using var client = NewClient(new Uri("https://s3.comio.test"), c =>
        {
            c.HttpClientFactory = factory;
            c.ForcePathStyle = false;
        });

        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "v host/ü+.txt", ContentBody = "virtual" }, Ct);

        var captured = Assert.Single(factory.Requests);
        Assert.StartsWith(Bucket + ".", captured.Header("Host"), StringComparison.Ordinal);
        Assert.DoesNotContain(Bucket, captured.RawTarget, StringComparison.Ordinal);
        var result = NewAuthenticator().Authenticate(captured.ToHttpContext());
        Assert.Equal("virtual"u8.ToArray(), (await ReadBodyAsync(result, captured.Body)).Body);
    }

    [Fact]
    public async Task Authenticate_QuerySpaceResentAsPlus_VerifiesAsFormEncodedSpace()
    {
        await using var server = await S3CaptureServer.StartAsync(authenticator: null);
        using var client = NewClient(server.BaseAddress);
        await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "a b c" }, Ct);
        var captured = Assert.Single(server.Requests);
        Assert.Contains("a%20b%20c", captured.RawTarget, StringComparison.Ordinal);

        var result = NewAuthenticator().Authenticate((captured with { RawTarget = captured.RawTarget.Replace("a%20b%20c", "a+b%20c", StringComparison.Ordinal) }).ToHttpContext());

        Assert.Equal(AccessKey, result.AccessKeyId);
    }

    [Fact]
    public async Task Authenticate_PathResentWithEquivalentEncoding_Verifies()
    {
        var captured = await CaptureGetAsync("tilde~name-ok");
        var target = captured.RawTarget.Replace("~", "%7E", StringComparison.Ordinal).Replace("-ok", "%2dok", StringComparison.Ordinal);

        var result = NewAuthenticator().Authenticate((captured with { RawTarget = target }).ToHttpContext());

        Assert.Equal(AccessKey, result.AccessKeyId);
    }

    [Fact]
    public async Task Authenticate_SlashResentAsEncodedSlash_ThrowsSignatureDoesNotMatch()
    {
        var captured = await CaptureGetAsync("dir/key");
        var target = captured.RawTarget.Replace("dir/key", "dir%2Fkey", StringComparison.Ordinal);
        Assert.NotEqual(captured.RawTarget, target);

        var error = Assert.Throws<S3Exception>(() => NewAuthenticator().Authenticate((captured with { RawTarget = target }).ToHttpContext()));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Fact]
    public void Authenticate_NoCredentials_ReturnsAnonymous()
    {
        var result = NewAuthenticator().Authenticate(CapturedRequest.Build("GET", "/bucket/key?list-type=2", ("Host", "localhost")));

        Assert.True(result.IsAnonymous);
        Assert.Null(result.AccessKeyId);
    }

    internal static async Task<(byte[] Body, IReadOnlyDictionary<string, string> Trailers)> ReadBodyAsync(AuthenticationResult result, byte[] raw)
    {
        IReadOnlyDictionary<string, string> trailers = new Dictionary<string, string>();
        await using var stream = result.WrapBody(new MemoryStream(raw));
        using var output = new MemoryStream();
        await stream.CopyToAsync(output, 4096, TestContext.Current.CancellationToken);
        if (stream is AwsChunkedStream chunked)
        {
            Assert.True(chunked.IsCompleted);
            trailers = chunked.Trailers;
        }

        return (output.ToArray(), trailers);
    }

    private static async Task IgnoreResponseParsingAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (AmazonServiceException)
        {
            // The capture server's canned responses are not valid for every operation; only the request matters here.
        }
    }

    private static CapturedRequest FromUrl(string url)
    {
        var uri = new Uri(url);
        var pathStart = url.IndexOf('/', url.IndexOf("://", StringComparison.Ordinal) + 3);
        return new CapturedRequest("GET", url[pathStart..], [new("Host", [uri.Authority])], []);
    }

    private async Task<CapturedRequest> CaptureGetAsync(string key)
    {
        await using var server = await S3CaptureServer.StartAsync(authenticator: null);
        using var client = NewClient(server.BaseAddress);
        using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = new ByteRange(0, 3) }, Ct);
        return Assert.Single(server.Requests);
    }
}
