using ComIO.Contracts.Nodes;
using ComIO.Storage;
using ComIO.StorageNode.Engines;

namespace ComIO.StorageNode.Endpoints;

/// <summary>Internal bucket routes: every device of the node holds a record of every bucket of the site.</summary>
public static class BucketEndpoints
{
    public static RouteGroupBuilder MapBucketEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/buckets", (NodeEngines engines) =>
        {
            var engine = engines.All[0];
            var buckets = engine.ListBuckets().Select(b => new BucketInfo(b.Name, b.CreatedAt, OwnerOf(engine, b.Name))).ToList();
            return Results.Json(buckets, ContractsJsonContext.Default.ListBucketInfo);
        });

        group.MapGet("/buckets/{bucket}", (string bucket, NodeEngines engines) =>
        {
            var record = engines.All[0].GetBucket(bucket);
            return record is null
                ? ObjectInfoMapper.ToError(EngineStatus.NoSuchBucket)
                : Results.Json(new BucketInfo(record.Name, record.CreatedAt, OwnerOf(engines.All[0], bucket)), ContractsJsonContext.Default.BucketInfo);
        });

        // Optional body: the bucket's initial settings (JSON object name → text), committed atomically with the bucket.
        group.MapPut("/buckets/{bucket}", async (string bucket, HttpRequest request, NodeEngines engines, CancellationToken ct) =>
        {
            Dictionary<string, byte[]> settings = [];
            if (request.ContentLength is > 0 || (request.ContentLength is null && request.HasJsonContentType()))
            {
                try
                {
                    var text = await request.ReadFromJsonAsync(ContractsJsonContext.Default.DictionaryStringString, ct) ?? [];
                    settings = text.ToDictionary(s => s.Key, s => System.Text.Encoding.UTF8.GetBytes(s.Value), StringComparer.Ordinal);
                }
                catch (System.Text.Json.JsonException e)
                {
                    return Results.Json(new NodeError(NodeStatus.InvalidRequest, e.Message), ContractsJsonContext.Default.NodeError, statusCode: 400);
                }
            }

            var created = false;
            foreach (var engine in engines.All)
            {
                created |= await engine.CreateBucketAsync(bucket, settings, ct) == EngineStatus.Ok;
            }

            return created ? Results.Ok() : ObjectInfoMapper.ToError(EngineStatus.BucketAlreadyExists);
        });

        group.MapDelete("/buckets/{bucket}", async (string bucket, NodeEngines engines, CancellationToken ct) =>
        {
            if (engines.All[0].GetBucket(bucket) is null)
            {
                return ObjectInfoMapper.ToError(EngineStatus.NoSuchBucket);
            }

            foreach (var engine in engines.All)
            {
                if (engine.ListObjects(bucket, null, null, 1).Objects.Count > 0)
                {
                    return ObjectInfoMapper.ToError(EngineStatus.BucketNotEmpty);
                }
            }

            foreach (var engine in engines.All)
            {
                var status = await engine.DeleteBucketAsync(bucket, ct);
                if (status is not (EngineStatus.Ok or EngineStatus.NoSuchBucket))
                {
                    return ObjectInfoMapper.ToError(status);
                }
            }

            return Results.NoContent();
        });

        return group;
    }

    /// <summary>The bucket's recorded owner setting (text), if any.</summary>
    private static string? OwnerOf(StorageEngine engine, string bucket) =>
        engine.GetBucketSettings(bucket) is { } settings && settings.TryGetValue("owner", out var owner) ? System.Text.Encoding.UTF8.GetString(owner) : null;
}
