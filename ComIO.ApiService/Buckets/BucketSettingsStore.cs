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
/// until one answers, writes go to every node and succeed only when all stored them durably. Thread-safe.
/// </summary>
/// <remarks>
/// The hot object operations (GET, HEAD, DELETE, small PUT; see <see cref="UseRememberedSettings"/>) decide with
/// settings kept in memory per (owner node, bucket) together with the node's settings stamp, and send the stamp with
/// their one node call; the node refuses a stale stamp before acting and the request is served again with fresh
/// settings (<see cref="ShouldServeAgain"/>). So a changed policy, ACL or configuration still applies to the next
/// request on every API replica, without a settings read per request. Every other operation reads the nodes.
/// </remarks>
public sealed class BucketSettingsStore(ClusterNodes cluster, StorageNodeClient nodes, IOptions<AuthOptions> auth)
{
    /// <summary>Payloads up to this size are read whole before a PUT decided with remembered settings, so it can be served again.</summary>
    public const long ReplayablePutBytes = 64 * 1024;

    private const int MaxRememberedBuckets = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Node, string Bucket), (BucketSettings Settings, string Stamp)> _remembered = new();

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

        var settings = request.SettingsNode is { } node && !request.FreshSettingsOnly
            ? await GetStampedAsync(request, node)
            : await GetAsync(request.Bucket, request.Aborted);
        request.BucketSettings = settings;
        return settings;
    }

    /// <summary>
    /// Lets <paramref name="request"/> decide with remembered settings when it is one of the hot object operations:
    /// GetObject, HeadObject, DeleteObject, or a PutObject whose payload is at most <see cref="ReplayablePutBytes"/>.
    /// </summary>
    public void UseRememberedSettings(Pipeline.S3Request request, string operation)
    {
        var eligible = operation switch
        {
            "GetObject" or "HeadObject" or "DeleteObject" => true,
            "PutObject" => DeclaredPayloadLength(request) is >= 0 and <= ReplayablePutBytes,
            _ => false,
        };
        if (eligible && !request.FreshSettingsOnly && request.Target.Key is { Length: > 0 })
        {
            request.SettingsNode = cluster.OwnerOf(request.Bucket, request.Key);
        }
    }

    /// <summary>
    /// Whether a failed first attempt of <paramref name="request"/> is to be served again with freshly read settings: the
    /// node refused its stamp, or it was refused (an S3 error) on remembered settings no node has confirmed yet; and
    /// nothing was sent to the client and the payload can be read again. Forgets the remembered settings when so.
    /// </summary>
    public bool ShouldServeAgain(Pipeline.S3Request request, Exception error)
    {
        var stale = error is StaleBucketSettingsException || (error is S3Exception && request.DecidesOnUnconfirmedSettings);
        if (!stale || request.FreshSettingsOnly || request.Response.HasStarted || (request.BodyOpened && request.ReplayableBody is null))
        {
            return false;
        }

        if (request.SettingsNode is { } node)
        {
            _remembered.TryRemove((node.Id, request.Bucket), out _);
        }

        request.FreshSettingsOnly = true;
        request.SettingsNode = null;
        request.SettingsStamp = null;
        request.BucketSettings = null;
        return true;
    }

    private async Task<BucketSettings> GetStampedAsync(Pipeline.S3Request request, Placement.StorageNodeInfo node)
    {
        var key = (node.Id, request.Bucket);
        if (_remembered.TryGetValue(key, out var remembered))
        {
            request.SettingsStamp = new SettingsStamp(remembered.Stamp, fromCache: true);
            return remembered.Settings;
        }

        var (result, stamp) = await nodes.GetStampedBucketSettingsAsync(node, request.Bucket, request.Aborted);
        var settings = new BucketSettings(request.Bucket, result.OrThrow() ?? [], _rootOwner);
        if (stamp is not null)
        {
            if (_remembered.Count >= MaxRememberedBuckets)
            {
                _remembered.Clear();
            }

            _remembered[key] = (settings, stamp);
            request.SettingsStamp = new SettingsStamp(stamp, fromCache: false);
        }

        return settings;
    }

    /// <summary>The payload length the request declares (decoded length for aws-chunked), or -1 when it declares none.</summary>
    private static long DeclaredPayloadLength(Pipeline.S3Request request)
    {
        var text = request.Header("x-amz-decoded-content-length");
        if (text is not null)
        {
            return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var decoded) ? decoded : -1;
        }

        return request.Http.Request.ContentLength ?? -1;
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
