namespace ComIO.ReplicationWorker.Copying;

/// <summary>The source version disappeared while it was being copied (deleted or expired): there is nothing left to replicate.</summary>
public sealed class SourceVersionGoneException(string message) : Exception(message);
