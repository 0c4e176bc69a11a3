using System.Net;
using Amazon.S3.Model;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Tests.S3.Harness;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// A storage node that stops answering: requests it owns fail with 503 ServiceUnavailable (an S3 error with a request
/// id, never a hang or an InternalError), while objects on the other node stay readable. Owns its site (it kills a node).
/// </summary>
public sealed class NodeFailureTests : IAsyncLifetime
{
    private readonly ComIOCluster _cluster = new();
    private string _bucket = "";
    private string _onLiveNode = "";
    private string _onDeadNode = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _cluster.InitializeAsync();
        _bucket = await _cluster.CreateBucketAsync("failure");
        var nodes = _cluster.ApiServices.GetRequiredService<ClusterNodes>();
        var keys = Enumerable.Range(0, 64).Select(i => $"key-{i}").ToList();
        _onLiveNode = keys.First(k => nodes.OwnerOf(_bucket, k).Id == _cluster.NodeIds[0]);
        _onDeadNode = keys.First(k => nodes.OwnerOf(_bucket, k).Id == _cluster.NodeIds[1]);
        foreach (var key in new[] { _onLiveNode, _onDeadNode })
        {
            await _cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = key }, Ct);
        }

        await _cluster.StopNodeAsync(1);
    }

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task NodeDown_ReturnsServiceUnavailable_ForRequestsItOwns()
    {
        using var get = await _cluster.Wire.SendAsync(HttpMethod.Get, $"/{_bucket}/{_onDeadNode}");
        using var put = await _cluster.Wire.SendAsync(HttpMethod.Put, $"/{_bucket}/{_onDeadNode}", body: "new"u8.ToArray());
        using var head = await _cluster.Wire.SendAsync(HttpMethod.Head, $"/{_bucket}/{_onDeadNode}");
        using var list = await _cluster.Wire.SendAsync(HttpMethod.Get, $"/{_bucket}", [("list-type", "2")]);

        await S3Assert.ErrorAsync(get, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        await S3Assert.ErrorAsync(put, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        await S3Assert.ErrorAsync(head, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        await S3Assert.ErrorAsync(list, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
    }

    [Fact]
    public async Task NodeDown_StillServesObjectsOfOtherNodes()
    {
        using var get = await _cluster.Wire.SendAsync(HttpMethod.Get, $"/{_bucket}/{_onLiveNode}");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(_onLiveNode, await get.Content.ReadAsStringAsync(Ct));
    }
}
