using ComIO.Contracts.Nodes;
using ComIO.Storage;
using ComIO.StorageNode.Engines;

namespace ComIO.StorageNode.Endpoints;

/// <summary>Internal object-tagging route: replaces an object's tag set on the engine that owns the key.</summary>
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
        return group;
    }
}
