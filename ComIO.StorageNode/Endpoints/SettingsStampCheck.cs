using ComIO.Contracts.Nodes;
using ComIO.StorageNode.Engines;

namespace ComIO.StorageNode.Endpoints;

/// <summary>
/// Endpoint filter of the object routes the API service sends with <see cref="InternalApi.SettingsStampHeader"/>: a
/// request whose stamp is not the node's current one is refused with 409 <see cref="NodeStatus.StaleBucketSettings"/>
/// before the handler runs (so before any body is read or anything is changed) unless every stamp it carries (settings,
/// and the caller's identity when remembered) is current. Requests without the header pass. The stamp is the first
/// engine's, which is also the one bucket settings and system documents are read from.
/// </summary>
public sealed class SettingsStampCheck : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.Headers.TryGetValue(InternalApi.SettingsStampHeader, out var sent)
            && !AllCurrent(sent.ToString(), http.RequestServices.GetRequiredService<NodeEngines>().All[0].BucketSettingsStamp))
        {
            return ValueTask.FromResult<object?>(Results.Json(
                new NodeError(NodeStatus.StaleBucketSettings, "The bucket settings the request was decided with have changed."),
                ContractsJsonContext.Default.NodeError,
                statusCode: StatusCodes.Status409Conflict));
        }

        return next(context);
    }

    /// <summary>True when every comma-separated value of <paramref name="sent"/> (at least one) equals <paramref name="current"/>.</summary>
    internal static bool AllCurrent(string sent, string current)
    {
        var any = false;
        foreach (var range in sent.AsSpan().Split(','))
        {
            if (!sent.AsSpan()[range].Trim().SequenceEqual(current))
            {
                return false;
            }

            any = true;
        }

        return any;
    }
}
