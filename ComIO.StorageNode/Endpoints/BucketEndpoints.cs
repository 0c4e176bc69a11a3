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
            var buckets = engines.All[0].ListBuckets().Select(b => new BucketInfo(b.Name, b.CreatedAt)).ToList();
            return Results.Json(buckets, ContractsJsonContext.Default.ListBucketInfo);
        });

        group.MapGet("/buckets/{bucket}", (string bucket, NodeEngines engines) =>
        {
            var record = engines.All[0].GetBucket(bucket);
            return record is null
                ? ObjectInfoMapper.ToError(EngineStatus.NoSuchBucket)
                : Results.Json(new BucketInfo(record.Name, record.CreatedAt), ContractsJsonContext.Default.BucketInfo);
        });

        group.MapPut("/buckets/{bucket}", async (string bucket, NodeEngines engines, CancellationToken ct) =>
        {
            var created = false;
            foreach (var engine in engines.All)
            {
                created |= await engine.CreateBucketAsync(bucket, ct) == EngineStatus.Ok;
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
}
