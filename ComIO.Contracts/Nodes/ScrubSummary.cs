namespace ComIO.Contracts.Nodes;

/// <summary>Result of an on-demand scrub of every device of a node.</summary>
public sealed record ScrubSummary(long ObjectsScanned, long BytesVerified, List<ScrubIssue> Findings);
