namespace ComIO.ReplicationWorker.Copying;

/// <summary>The configured destination sites by name.</summary>
public interface IReplicaTargets
{
    /// <summary>The target of <paramref name="site"/>, or <c>null</c> when <c>Replication:Sites</c> does not name it.</summary>
    IReplicaTarget? Find(string site);
}
