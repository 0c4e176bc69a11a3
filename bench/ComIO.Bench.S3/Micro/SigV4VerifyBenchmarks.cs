using BenchmarkDotNet.Attributes;
using ComIO.ApiService.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace ComIO.Bench.S3.Micro;

/// <summary>
/// SigV4 header verification as the API service runs it on every request (<see cref="SigV4Authenticator.Authenticate(HttpContext)"/>),
/// next to the client-side signing of the same request (the generator's cost, for scale). The request is a PUT
/// with UNSIGNED-PAYLOAD and the three signed headers the generator uses, and a ListObjectsV2 GET with a query.
/// </summary>
[MemoryDiagnoser]
public class SigV4VerifyBenchmarks
{
    private readonly SigV4Authenticator _authenticator = new(
        new InMemoryCredentialStore([new(ComIOSite.AccessKey, ComIOSite.SecretKey)]), TimeProvider.System, new SigV4Options());

    private readonly SigV4Signer _signer = new(ComIOSite.AccessKey, ComIOSite.SecretKey, ComIOSite.Region);
    private DefaultHttpContext _put = null!;
    private DefaultHttpContext _list = null!;

    [GlobalSetup]
    public void Setup()
    {
        _put = Context("PUT", "/bench/4096/c1/w0/00000001", "");
        _list = Context("GET", "/bench", "list-type=2&max-keys=1000&prefix=k%2F&start-after=k%2F000012345");
    }

    [Benchmark(Baseline = true)]
    public AuthenticationResult VerifyPutHeader() => _authenticator.Authenticate(_put);

    [Benchmark]
    public AuthenticationResult VerifyListWithQuery() => _authenticator.Authenticate(_list);

    [Benchmark]
    public string SignPutClientSide() => _signer.Sign("PUT", "127.0.0.1:8080", "/bench/4096/c1/w0/00000001", "", DateTime.UtcNow).Authorization;

    private DefaultHttpContext Context(string method, string path, string query)
    {
        var (amzDate, authorization) = _signer.Sign(method, "127.0.0.1:8080", path, query, DateTime.UtcNow);
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = query.Length == 0 ? QueryString.Empty : new QueryString("?" + query);
        context.Request.Host = new HostString("127.0.0.1:8080");
        context.Request.Headers["x-amz-date"] = amzDate;
        context.Request.Headers["x-amz-content-sha256"] = SigV4Signer.UnsignedPayload;
        context.Request.Headers.Authorization = authorization;
        context.Request.ContentLength = method == "PUT" ? 4096 : null;
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = query.Length == 0 ? path : path + "?" + query;
        return context;
    }
}
