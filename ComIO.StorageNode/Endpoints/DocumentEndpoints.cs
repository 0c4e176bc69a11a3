using System.Text;
using ComIO.Contracts.Nodes;
using ComIO.Storage;
using ComIO.StorageNode.Engines;

namespace ComIO.StorageNode.Endpoints;

/// <summary>
/// Internal routes for bucket settings, system documents (users, access keys) and object system metadata. Like bucket
/// records, settings and system documents are written to every device of the node and read from the first. Documents
/// written here are shared ones (they move the settings stamp); reads of settings and documents carry the stamp.
/// </summary>
public static class DocumentEndpoints
{
    public static RouteGroupBuilder MapDocumentEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/buckets/{bucket}/settings", (string bucket, HttpResponse response, NodeEngines engines) =>
        {
            // The stamp is taken before the read, so it never vouches for settings older than the ones returned.
            var stamp = engines.All[0].BucketSettingsStamp;
            if (engines.All[0].GetBucketSettings(bucket) is not { } settings)
            {
                return ObjectInfoMapper.ToError(EngineStatus.NoSuchBucket);
            }

            response.Headers[InternalApi.SettingsStampHeader] = stamp;
            return Results.Json(ToText(settings), ContractsJsonContext.Default.DictionaryStringString);
        });

        group.MapPut("/buckets/{bucket}/settings/{name}", async (string bucket, string name, HttpRequest request, NodeEngines engines, CancellationToken ct) =>
        {
            if (await ReadBoundedAsync(request, ct) is not { } payload)
            {
                return TooLarge();
            }

            return await ForEveryEngineAsync(engines, engine => engine.SetBucketSettingAsync(bucket, name, payload, ct));
        });

        group.MapDelete("/buckets/{bucket}/settings/{name}", (string bucket, string name, NodeEngines engines, CancellationToken ct) =>
            ForEveryEngineAsync(engines, engine => engine.SetBucketSettingAsync(bucket, name, null, ct)));

        group.MapGet("/documents/{documentNamespace}", (string documentNamespace, NodeEngines engines) =>
            Results.Json(ToText(engines.All[0].ListSystemDocuments(documentNamespace)), ContractsJsonContext.Default.DictionaryStringString));

        group.MapGet("/documents/{documentNamespace}/{id}", (string documentNamespace, string id, HttpResponse response, NodeEngines engines) =>
        {
            // As for settings: the stamp is taken before the read, so it never vouches for an older document.
            response.Headers[InternalApi.SettingsStampHeader] = engines.All[0].BucketSettingsStamp;
            return engines.All[0].GetSystemDocument(documentNamespace, id) is { } payload
                ? Results.Bytes(payload, "application/octet-stream")
                : Results.Json(new NodeError(NodeStatus.NoSuchKey, "No such document."), ContractsJsonContext.Default.NodeError, statusCode: 404);
        });

        group.MapPut("/documents/{documentNamespace}/{id}", async (string documentNamespace, string id, HttpRequest request, NodeEngines engines, CancellationToken ct) =>
        {
            if (await ReadBoundedAsync(request, ct) is not { } payload)
            {
                return TooLarge();
            }

            return await ForEveryEngineAsync(engines, engine => engine.SetSharedDocumentAsync(documentNamespace, id, payload, ct));
        });

        group.MapDelete("/documents/{documentNamespace}/{id}", (string documentNamespace, string id, NodeEngines engines, CancellationToken ct) =>
            ForEveryEngineAsync(engines, engine => engine.SetSharedDocumentAsync(documentNamespace, id, null, ct)));

        group.MapMethods("/objects/{bucket}/system-metadata", ["PATCH"], async (string bucket, string key, string? versionId, HttpRequest request, NodeEngines engines, CancellationToken ct) =>
        {
            Dictionary<string, string?>? changes;
            try
            {
                changes = await request.ReadFromJsonAsync(ContractsJsonContext.Default.DictionaryStringString, ct);
            }
            catch (System.Text.Json.JsonException e)
            {
                return Results.Json(new NodeError(NodeStatus.InvalidRequest, e.Message), ContractsJsonContext.Default.NodeError, statusCode: 400);
            }

            var status = await engines.For(bucket, key).SetObjectSystemMetadataAsync(bucket, key, changes ?? [], ct, versionId);
            return status == EngineStatus.Ok ? Results.NoContent() : ObjectInfoMapper.ToError(status);
        });

        return group;
    }

    private static Dictionary<string, string> ToText(IEnumerable<KeyValuePair<string, byte[]>> documents) =>
        documents.ToDictionary(d => d.Key, d => Encoding.UTF8.GetString(d.Value), StringComparer.Ordinal);

    /// <summary>Runs a write on every device of the node; the first failure status is the answer.</summary>
    private static async Task<IResult> ForEveryEngineAsync(NodeEngines engines, Func<StorageEngine, Task<EngineStatus>> write)
    {
        foreach (var engine in engines.All)
        {
            var status = await write(engine);
            if (status != EngineStatus.Ok)
            {
                return ObjectInfoMapper.ToError(status);
            }
        }

        return Results.NoContent();
    }

    /// <summary>The request body, or null when it exceeds <see cref="StorageEngine.MaxDocumentBytes"/>.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > StorageEngine.MaxDocumentBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > StorageEngine.MaxDocumentBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult TooLarge() =>
        Results.Json(new NodeError(NodeStatus.InvalidRequest, $"Documents are at most {StorageEngine.MaxDocumentBytes} bytes."), ContractsJsonContext.Default.NodeError, statusCode: 413);
}
