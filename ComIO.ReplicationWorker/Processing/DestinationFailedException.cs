namespace ComIO.ReplicationWorker.Processing;

/// <summary>Applying an entry to the destination site <see cref="Site"/> failed (the inner exception says why).</summary>
public sealed class DestinationFailedException(string site, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Site { get; } = site;
}
