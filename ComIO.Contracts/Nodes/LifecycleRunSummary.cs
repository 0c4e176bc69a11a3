namespace ComIO.Contracts.Nodes;

/// <summary>Result of an on-demand lifecycle scan of every device of a node (<c>POST /internal/v1/lifecycle/run</c>).</summary>
public sealed record LifecycleRunSummary(long ObjectsScanned, long CurrentExpired, long NoncurrentExpired, long DeleteMarkersRemoved, long UploadsAborted, long BytesFreed);
