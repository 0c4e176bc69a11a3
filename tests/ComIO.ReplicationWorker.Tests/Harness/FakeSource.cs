using System.Collections.Concurrent;
using ComIO.ReplicationWorker.Copying;

namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>An <see cref="ISourceReader"/> over one in-memory version (bodies are forward-only, like HTTP); records every open.</summary>
public sealed class FakeSource(SourceVersion? version, IReadOnlyList<KeyValuePair<string, string>>? tags = null) : ISourceReader
{
    public ConcurrentQueue<(long Offset, long? Length)> Opens { get; } = new();

    public int TagReads;

    /// <summary>After this many opens the version disappears (models a delete racing the copy).</summary>
    public int? GoneAfterOpens { get; init; }

    public Task<SourceObject?> OpenAsync(string bucket, string key, string versionId, long offset, long? length, CancellationToken cancellationToken)
    {
        Opens.Enqueue((offset, length));
        if (version is null || Opens.Count > GoneAfterOpens)
        {
            return Task.FromResult<SourceObject?>(null);
        }

        var bodyLength = length ?? version.ContentLength - offset;
        var bytes = NonSeekableStream.Expected(version.ContentLength).AsMemory((int)offset, (int)bodyLength).ToArray();
        return Task.FromResult<SourceObject?>(new SourceObject(version, new ForwardOnly(bytes), bodyLength));
    }

    public Task<IReadOnlyList<KeyValuePair<string, string>>> GetTagsAsync(string bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref TagReads);
        return Task.FromResult(tags ?? []);
    }

    private sealed class ForwardOnly(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
