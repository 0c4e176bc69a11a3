namespace ComIO.ReplicationWorker.Copying;

/// <summary>Reads object versions from the local (source) site. Implementations are thread-safe.</summary>
public interface ISourceReader
{
    /// <summary>
    /// Opens version <paramref name="versionId"/> of <paramref name="bucket"/>/<paramref name="key"/>, the whole body or the
    /// bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) when a length is given.
    /// Returns <c>null</c> when the version (or its bucket) no longer exists; throws on any other failure.
    /// </summary>
    Task<SourceObject?> OpenAsync(string bucket, string key, string versionId, long offset, long? length, CancellationToken cancellationToken);

    /// <summary>The version's tags in order (empty when it has none).</summary>
    Task<IReadOnlyList<KeyValuePair<string, string>>> GetTagsAsync(string bucket, string key, string versionId, CancellationToken cancellationToken);
}
