using ComIO.Contracts.Nodes;
using ComIO.Storage;
using ComIO.StorageNode.Engines;

namespace ComIO.StorageNode.Endpoints;

/// <summary>
/// Internal per-version metadata routes on the engine that owns the key: the tag set, and the Object Lock state
/// (<c>PUT /objects/{bucket}/lock?key=…[&amp;versionId=…]</c>, body <see cref="ObjectLockChange"/>, enforced by the engine).
/// </summary>
public static class TaggingEndpoints
{
    /// <summary>
    /// Maps <c>PUT /objects/{bucket}/tags?key=…</c> (body <see cref="PutObjectTagsRequest"/>): 204 once the new tag set
    /// is durable; 404 NoSuchBucket / NoSuchKey; 400 InvalidRequest for a tag set breaking S3's limits.
    /// </summary>
    public static RouteGroupBuilder MapTaggingEndpoints(this RouteGroupBuilder group)
    {
        group.MapPut("/objects/{bucket}/tags", async (string bucket, string key, string? versionId, HttpRequest request, NodeEngines engines, CancellationToken ct) =>
        {
            PutObjectTagsRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync(ContractsJsonContext.Default.PutObjectTagsRequest, ct);
            }
            catch (System.Text.Json.JsonException e)
            {
                return Results.Json(new NodeError(NodeStatus.InvalidRequest, e.Message), ContractsJsonContext.Default.NodeError, statusCode: 400);
            }

            var tags = body?.Tags.ToEngineTags() ?? [];
            if (ObjectTags.Problem(tags) is { } problem)
            {
                return Results.Json(new NodeError(NodeStatus.InvalidRequest, problem), ContractsJsonContext.Default.NodeError, statusCode: 400);
            }

            var status = await engines.For(bucket, key).SetObjectTagsAsync(bucket, key, versionId, tags, ct);
            return status == EngineStatus.Ok ? Results.NoContent() : ObjectInfoMapper.ToError(status);
        });
        group.MapPut("/objects/{bucket}/lock", async (string bucket, string key, string? versionId, HttpRequest request, NodeEngines engines, CancellationToken ct) =>
        {
            ObjectLockChange? change;
            try
            {
                change = await request.ReadFromJsonAsync(ContractsJsonContext.Default.ObjectLockChange, ct);
            }
            catch (System.Text.Json.JsonException e)
            {
                return Results.Json(new NodeError(NodeStatus.InvalidRequest, e.Message), ContractsJsonContext.Default.NodeError, statusCode: 400);
            }

            if (change is null || change.SetRetention == change.LegalHold.HasValue
                || !ObjectInfoMapper.TryParseRetention(change.RetentionMode, change.RetainUntil, out var retention))
            {
                return Results.Json(new NodeError(NodeStatus.InvalidRequest, "Invalid object lock change."), ContractsJsonContext.Default.NodeError, statusCode: 400);
            }

            var engine = engines.For(bucket, key);
            var result = change.SetRetention
                ? await engine.SetObjectRetentionAsync(bucket, key, versionId, retention, change.BypassGovernance, ct)
                : await engine.SetObjectLegalHoldAsync(bucket, key, versionId, change.LegalHold!.Value, ct);
            return result.Status == EngineStatus.Ok
                ? Results.Json(result.Object!.ToInfo(), ContractsJsonContext.Default.ObjectInfo)
                : ObjectInfoMapper.ToError(result.Status);
        });
        return group;
    }
}
