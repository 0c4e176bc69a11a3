namespace ComIO.ReplicationWorker.Processing;

/// <summary>
/// A failure that retrying cannot fix (e.g. an SSE-C source version: its customer key is never stored, so no worker can
/// read it). The entry is given up at once: dead-lettered and reported FAILED.
/// </summary>
public sealed class PermanentReplicationException(string message, Exception? inner = null) : Exception(message, inner);
