using System.Net;
using ComIO.ApiService.Tests.S3.Harness;
using ComIO.Contracts.Nodes;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>No path into a storage node's internal API without the cluster secret: every route answers 401.</summary>
public sealed class StorageNodeSecretTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", InternalApi.Buckets() },
        { "PUT", InternalApi.Bucket("sneaky-bucket") },
        { "GET", InternalApi.SystemDocuments("users") },
        { "GET", InternalApi.SystemDocuments("access-keys") },
        { "PUT", InternalApi.SystemDocument("users", "intruder") },
        { "GET", InternalApi.Prefix + "/objects/some-bucket?key=k" },
        { "POST", InternalApi.Prefix + "/scrub" },
        { "POST", InternalApi.LifecycleRun() },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task InternalApi_Returns401_WithoutClusterSecret(string method, string path)
    {
        foreach (var node in cluster.NodeAddresses)
        {
            using var http = new HttpClient { BaseAddress = node };
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : new StringContent("{}") };
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData("")]
    [InlineData(ComIOCluster.ClusterSecret + "x")]
    [InlineData("comio-service-tests-cluster-secre")]
    public async Task InternalApi_Returns401_WithWrongClusterSecret(string secret)
    {
        foreach (var node in cluster.NodeAddresses)
        {
            using var http = new HttpClient { BaseAddress = node };
            using var request = new HttpRequestMessage(HttpMethod.Get, InternalApi.SystemDocuments("access-keys"));
            request.Headers.TryAddWithoutValidation(InternalApi.ClusterSecretHeader, secret);
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain("encryptedSecret", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task InternalApi_Answers_WithClusterSecret()
    {
        await new AdminApiClient(cluster.Wire).CreateUserWithKeyAsync("node");
        foreach (var node in cluster.NodeAddresses)
        {
            using var http = new HttpClient { BaseAddress = node };
            using var request = new HttpRequestMessage(HttpMethod.Get, InternalApi.SystemDocuments("access-keys"));
            request.Headers.TryAddWithoutValidation(InternalApi.ClusterSecretHeader, ComIOCluster.ClusterSecret);
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.Contains("CK", body, StringComparison.Ordinal);
        }
    }
}
