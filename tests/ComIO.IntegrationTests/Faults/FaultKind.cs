namespace ComIO.IntegrationTests.Faults;

/// <summary>The processes the fault suite kills with SIGKILL.</summary>
public enum FaultKind
{
    StorageNode,
    ApiReplica,
    ReplicationWorker,
    Redis,
}
