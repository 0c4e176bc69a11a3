using System.Collections.Concurrent;
using ComIO.ReplicationWorker.Copying;

namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>An <see cref="IReplicaTarget"/> that keeps what it receives in memory and can fail a given part.</summary>
public sealed class FakeTarget(string site = "west") : IReplicaTarget
{
    public string Site { get; } = site;

    public bool HasVersion { get; set; }

    public int? FailPart { get; init; }

    public bool FailPut { get; init; }

    public List<(string Bucket, string Key, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers)> Puts { get; } = [];

    public IReadOnlyList<KeyValuePair<string, string>>? StartHeaders { get; private set; }

    public ConcurrentDictionary<int, byte[]> Parts { get; } = new();

    public IReadOnlyList<string>? CompletedETags { get; private set; }

    public IReadOnlyList<KeyValuePair<string, string>>? CompleteHeaders { get; private set; }

    public List<string> Aborted { get; } = [];

    public List<(string Bucket, string Key, IReadOnlyList<KeyValuePair<string, string>> Headers)> Deletes { get; } = [];

    public int HasVersionQuestions => _hasVersionQuestions;

    private int _hasVersionQuestions;

    public Task<bool> HasVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _hasVersionQuestions);
        return Task.FromResult(HasVersion);
    }

    public async Task PutAsync(string bucket, string key, Stream body, long length, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        if (FailPut)
        {
            throw new IOException("PUT failed");
        }

        var bytes = await ReadExactlyAsync(body, length, cancellationToken);
        Puts.Add((bucket, key, bytes, headers));
    }

    public Task<string> StartMultipartAsync(string bucket, string key, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        StartHeaders = headers;
        return Task.FromResult("upload-1");
    }

    public async Task<string> UploadPartAsync(string bucket, string key, string uploadId, int partNumber, Stream body, long length, CancellationToken cancellationToken)
    {
        if (partNumber == FailPart)
        {
            throw new IOException($"part {partNumber} failed");
        }

        Parts[partNumber] = await ReadExactlyAsync(body, length, cancellationToken);
        return $"\"etag-{partNumber}\"";
    }

    public Task CompleteMultipartAsync(string bucket, string key, string uploadId, IReadOnlyList<string> partETags,
        IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        CompletedETags = partETags;
        CompleteHeaders = headers;
        return Task.CompletedTask;
    }

    public Task AbortMultipartAsync(string bucket, string key, string uploadId, CancellationToken cancellationToken)
    {
        lock (Aborted)
        {
            Aborted.Add(uploadId);
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string bucket, string key, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        Deletes.Add((bucket, key, headers));
        return Task.CompletedTask;
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes and checks the body ends there.</summary>
    private static async Task<byte[]> ReadExactlyAsync(Stream body, long length, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        await body.ReadExactlyAsync(bytes, cancellationToken);
        Assert.Equal(0, await body.ReadAsync(new byte[1], cancellationToken));
        return bytes;
    }
}
