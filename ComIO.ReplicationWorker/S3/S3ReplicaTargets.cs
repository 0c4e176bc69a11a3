using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Copying;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.S3;

/// <summary>One <see cref="S3ReplicaTarget"/> per site of <c>Replication:Sites</c>, created at start-up. Thread-safe.</summary>
public sealed class S3ReplicaTargets : IReplicaTargets, IDisposable
{
    private readonly Dictionary<string, S3ReplicaTarget> _targets;

    public S3ReplicaTargets(S3ClientFactory clients, IOptions<ReplicationWorkerOptions> options) =>
        _targets = options.Value.Sites.ToDictionary(s => s.Key, s => new S3ReplicaTarget(s.Key, clients.Create(s.Value.Endpoint)), StringComparer.Ordinal);

    public IReplicaTarget? Find(string site) => _targets.GetValueOrDefault(site);

    public void Dispose()
    {
        foreach (var target in _targets.Values)
        {
            target.Dispose();
        }
    }
}
