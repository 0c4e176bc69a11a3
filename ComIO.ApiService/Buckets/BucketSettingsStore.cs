using System.Text.Json;
using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Configuration;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Protocol.Errors;
using ComIO.Contracts.Nodes;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Buckets;

/// <summary>
/// Reads and writes bucket settings. Every node of the site holds every bucket's settings: reads ask the nodes in turn
/// until one answers, writes go to every node and succeed only when all stored them durably. Thread-safe; no caching,
/// so a changed policy or ACL applies to the next request on every API replica.
/// </summary>
public sealed class BucketSettingsStore(ClusterNodes cluster, StorageNodeClient nodes, IOptions<AuthOptions> auth)
{
    private readonly AclOwner _rootOwner = new(CredentialResolver.RootCanonicalId(auth.Value.AccountId), auth.Value.AdminDisplayName);

    /// <summary>The owner assumed for buckets that have no recorded owner (the admin).</summary>
    public AclOwner RootOwner => _rootOwner;

    public static string Serialize(AclOwner owner) => JsonSerializer.Serialize(new BucketOwner(owner.Id, owner.DisplayName), BucketsJsonContext.Default.BucketOwner);

    /// <summary>Decodes a stored owner setting (as carried in <c>BucketInfo.Owner</c>); the admin when absent.</summary>
    public AclOwner ParseOwner(string? stored) =>
        stored is not null && JsonSerializer.Deserialize(stored, BucketsJsonContext.Default.BucketOwner) is { } owner ? new AclOwner(owner.Id, owner.DisplayName) : _rootOwner;

    /// <summary>The settings of the request's bucket, read once per request and kept on it.</summary>
    public async Task<BucketSettings> GetAsync(Pipeline.S3Request request)
    {
        if (request.BucketSettings is { } loaded && loaded.Bucket == request.Bucket)
        {
            return loaded;
        }

        var settings = await GetAsync(request.Bucket, request.Aborted);
        request.BucketSettings = settings;
        return settings;
    }

    /// <summary>The bucket's settings; throws NoSuchBucket when it does not exist.</summary>
    public async Task<BucketSettings> GetAsync(string bucket, CancellationToken ct)
    {
        var result = await cluster.FirstAnswerAsync(node => nodes.GetBucketSettingsAsync(node, bucket, ct));
        return new BucketSettings(bucket, result.OrThrow() ?? [], _rootOwner);
    }

    /// <summary>Writes (text) or removes (null) one setting on every node; throws NoSuchBucket when the bucket is gone.</summary>
    public Task SetAsync(string bucket, string name, string? text, CancellationToken ct) =>
        cluster.OnEveryNodeAsync(node => nodes.SetBucketSettingAsync(node, bucket, name, text, ct));
}
