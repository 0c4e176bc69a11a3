using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Nodes;

/// <summary>A node call's outcome: a value on success, otherwise the node's error (status name and HTTP status).</summary>
public readonly record struct NodeResult<T>(T? Value, NodeError? Error, int HttpStatus)
{
    public bool IsSuccess => Error is null;
}
