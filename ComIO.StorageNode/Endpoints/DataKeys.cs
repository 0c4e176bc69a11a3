using ComIO.Contracts.Nodes;
using ComIO.Storage;

namespace ComIO.StorageNode.Endpoints;

/// <summary>Reads the data key of an encrypted object from <see cref="InternalApi.DataKeyHeader"/> (never logged).</summary>
internal static class DataKeys
{
    private const int DataKeyLength = 32;

    /// <summary>
    /// The request's data key (null when the header is absent); false with a 400 <paramref name="error"/> when the header
    /// is present but is not base64 of exactly 32 bytes.
    /// </summary>
    public static bool TryRead(HttpContext context, out byte[]? dataKey, out IResult? error)
    {
        dataKey = null;
        error = null;
        var text = context.Request.Headers[InternalApi.DataKeyHeader].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        var bytes = new byte[DataKeyLength + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written) || written != DataKeyLength)
        {
            error = Results.Json(new NodeError(NodeStatus.InvalidRequest, "Malformed data key."), ContractsJsonContext.Default.NodeError, statusCode: 400);
            return false;
        }

        dataKey = bytes[..DataKeyLength];
        return true;
    }

    /// <summary>
    /// True when <paramref name="record"/> is encrypted and the request has no key for it: none at all, or one unwrapped
    /// from another wrapped key than the record's (<see cref="InternalApi.DataKeyCheckHeader"/>; the version was replaced).
    /// </summary>
    public static bool NeedsKey(HttpContext context, ObjectRecord record, byte[]? dataKey)
    {
        if (!record.IsEncrypted)
        {
            return false;
        }

        var check = context.Request.Headers[InternalApi.DataKeyCheckHeader].ToString();
        return dataKey is null || (check.Length > 0 && check != record.SystemMetadata.GetValueOrDefault(InternalApi.WrappedKeyMetadata));
    }
}
