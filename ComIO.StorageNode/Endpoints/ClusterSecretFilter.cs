using System.Security.Cryptography;
using System.Text;
using ComIO.Contracts.Nodes;

namespace ComIO.StorageNode.Endpoints;

/// <summary>
/// Refuses every internal API request that does not carry the cluster secret (fixed-time comparison).
/// The node has no other way in from the network besides /health, /alive and /metrics.
/// </summary>
public sealed class ClusterSecretFilter(byte[] secret) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[InternalApi.ClusterSecretHeader].ToString();
        if (secret.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), secret))
        {
            return Results.Json(new NodeError(NodeStatus.Unauthorized, "Missing or wrong cluster secret."), ContractsJsonContext.Default.NodeError, statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }
}
