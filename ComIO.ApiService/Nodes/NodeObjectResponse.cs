using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Nodes;

/// <summary>
/// An object being streamed from a node. Owns the HTTP response: disposing it releases the connection (aborting the
/// node's stream if it was not read to the end). <see cref="Info"/> is present on success and on 416.
/// </summary>
public sealed class NodeObjectResponse(HttpResponseMessage response, ObjectInfo? info, NodeError? error, Stream? content, string? contentRange) : IAsyncDisposable
{
    public ObjectInfo? Info { get; } = info;

    public NodeError? Error { get; } = error;

    public Stream? Content { get; } = content;

    /// <summary><c>bytes first-last/size</c> when the node served a range.</summary>
    public string? ContentRange { get; } = contentRange;

    public int HttpStatus => (int)response.StatusCode;

    public ValueTask DisposeAsync()
    {
        Content?.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
