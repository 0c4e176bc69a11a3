using System.Net;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// Two sites, each a full in-process ComIO site; "east" names "west" as its peer (Identity:PeerSites). Users and keys
/// created, changed and deleted through east's admin API are the same on west at once, and a peer that cannot be
/// reached makes the admin call fail with 503 while the change stays durable on east.
/// </summary>
public sealed class CrossSiteIdentityTests : IAsyncLifetime
{
    private readonly ComIOCluster _west = new();
    private ComIOCluster _east = null!;
    private bool _westStopped;

    public async ValueTask InitializeAsync()
    {
        await _west.InitializeAsync();
        _east = new ComIOCluster(new Dictionary<string, string> { ["Identity:PeerSites:0"] = _west.Endpoint.ToString() });
        await _east.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _east.DisposeAsync();
        if (!_westStopped)
        {
            await _west.DisposeAsync();
        }
    }

    [Fact]
    public async Task UserAndKeyChangesOnOneSite_AreTheSameOnThePeerSite()
    {
        var eastAdmin = new AdminApiClient(_east.Wire);
        var westAdmin = new AdminApiClient(_west.Wire);
        var user = await eastAdmin.CreateUserWithKeyAsync("xsite");

        var onWest = Assert.Single(await westAdmin.ListUsersAsync(), u => u.Name == user.Name);
        Assert.Equal(user.CanonicalId, onWest.CanonicalId);
        using (var westWire = new S3Wire(_west.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region))
        using (var listed = await westWire.SendAsync(HttpMethod.Get, "/"))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode); // the key (and its encrypted secret) works on west
        }

        await eastAdmin.SetKeyStatusAsync(user.AccessKeyId, IdentityStatus.Inactive);
        using (var westWire = new S3Wire(_west.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region))
        using (var refused = await westWire.SendAsync(HttpMethod.Get, "/"))
        {
            await S3Assert.ErrorAsync(refused, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
        }

        await eastAdmin.DeleteUserAsync(user.Name);
        Assert.DoesNotContain(await westAdmin.ListUsersAsync(), u => u.Name == user.Name);
    }

    [Fact]
    public async Task AdminChange_Answers503_AndStaysDurableLocally_WhenThePeerSiteIsDown()
    {
        var eastAdmin = new AdminApiClient(_east.Wire);
        await _west.DisposeAsync();
        _westStopped = true;
        var name = AdminApiClient.NewUserName("peerdown");

        using var response = await eastAdmin.SendAsync(HttpMethod.Post, "/users", $$"""{"name":"{{name}}"}""");

        var error = await AdminApiClient.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        Assert.Contains("Repeat the request", error.Message, StringComparison.Ordinal);
        Assert.Contains(await eastAdmin.ListUsersAsync(), u => u.Name == name);
    }
}
